"""adcraft: brief in, ranked multi-format ad creatives out.

>>> from adcraft import Brief, generate
>>> creatives = generate(Brief(product_name="Trail 3 Tent", offer="20% off"), formats="1:1")
"""

from adcraft._version import __version__
from adcraft.domain.brief import BrandKit, Brief, Price
from adcraft.domain.creative import Creative, CreativeSet, Element, Layout
from adcraft.domain.formats import Format, FormatRegistry, default_registry
from adcraft.domain.template import Template, load_template
from adcraft.errors import AdcraftError
from adcraft.pipeline import generate

__all__ = [
    "AdcraftError",
    "BrandKit",
    "Brief",
    "Creative",
    "CreativeSet",
    "Element",
    "Format",
    "FormatRegistry",
    "Layout",
    "Price",
    "Template",
    "__version__",
    "default_registry",
    "generate",
    "load_template",
]
