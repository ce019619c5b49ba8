"""Image captions from an OpenAI-compatible vision chat endpoint (OpenAI, vLLM, Ollama...).

Plain HTTP with the standard library: one POST to ``{base_url}/chat/completions`` with the
image as a data URL, asking for JSON with a caption, keywords and three usage hypotheses.
"""

from __future__ import annotations

import base64
import json
import re
import urllib.error
import urllib.request
from typing import Any

from adcraft.errors import CaptionError
from adcraft.imagery.bank.ports import CaptionDraft

PROMPT = (
    "Describe this image for an advertising image bank. Answer with JSON only: "
    '{"caption": "<one sentence: what is shown>", "keywords": ["<5-10 single words>"], '
    '"hypotheses": ["<3 short phrases: which kinds of ads or advertisers could use it>"]}'
)


class OpenAICaptioner:
    """A ``Captioner`` over an OpenAI-compatible chat completions endpoint."""

    name = "openai-vision"

    def __init__(
        self,
        base_url: str,
        *,
        model: str,
        api_key: str | None = None,
        timeout_s: float = 60.0,
    ) -> None:
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.api_key = api_key
        self.timeout_s = timeout_s

    def describe(self, image_bytes: bytes, mime: str, hint: str = "") -> CaptionDraft:
        """Caption, keywords and hypotheses for one image."""
        data_url = f"data:{mime};base64,{base64.b64encode(image_bytes).decode('ascii')}"
        text = PROMPT + (f" The file is named {hint!r}." if hint else "")
        body = {
            "model": self.model,
            "temperature": 0,
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {"type": "text", "text": text},
                        {"type": "image_url", "image_url": {"url": data_url}},
                    ],
                }
            ],
        }
        answer = self._post(body)
        try:
            content = answer["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError) as exc:
            raise CaptionError(f"captioner at {self.url} sent no message: {answer!r:.200}") from exc
        return parse_draft(str(content))

    def _post(self, body: dict[str, Any]) -> Any:
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        req = urllib.request.Request(
            self.url, data=json.dumps(body).encode(), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(req, timeout=self.timeout_s) as resp:
                return json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace")
            raise CaptionError(
                f"captioner at {self.url} answered HTTP {exc.code}: {detail}; check the model "
                "name and ADCRAFT_CAPTION_API_KEY"
            ) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise CaptionError(
                f"captioner at {self.url} is unreachable ({exc}): check ADCRAFT_CAPTION_URL"
            ) from exc
        except json.JSONDecodeError as exc:
            raise CaptionError(f"captioner at {self.url} did not answer JSON") from exc


def parse_draft(content: str) -> CaptionDraft:
    """A CaptionDraft from a model answer (JSON, possibly inside a code fence)."""
    match = re.search(r"\{.*\}", content, re.DOTALL)
    try:
        data = json.loads(match.group(0) if match else content)
    except json.JSONDecodeError as exc:
        raise CaptionError(f"the captioner's answer is not JSON: {content[:200]!r}") from exc
    caption = str(data.get("caption", "")).strip() if isinstance(data, dict) else ""
    if not caption:
        raise CaptionError(f"the captioner's answer has no caption: {content[:200]!r}")
    keywords = tuple(str(k).strip() for k in data.get("keywords") or () if str(k).strip())
    hyps = tuple(str(h).strip() for h in data.get("hypotheses") or () if str(h).strip())
    return CaptionDraft(caption=caption, keywords=keywords[:12], hypotheses=hyps[:3])
