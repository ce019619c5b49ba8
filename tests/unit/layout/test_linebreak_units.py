"""What no line break may separate (issue 10): a number and its currency code or unit, a price
and its 'from' word, deal phrases of numbers, model names and their numbers, short prepositions
at a line end (also in upper case), and counts with their nouns in upper-case copy."""

from __future__ import annotations

import pytest

from adcraft.layout import linebreak
from adcraft.layout.typography import fit_text, resolve_face


def _unbroken(text: str, language: str, group: str) -> bool:
    return any(group in a.text for a in linebreak.atoms(text, language))


@pytest.mark.parametrize(
    ("language", "text", "group"),
    [
        ("de", "Preis 250 EUR inklusive", "250 EUR"),
        ("en", "Pay 49 USD today", "49 USD"),
        ("tr", "Fiyatlar 100 TL'den başlıyor", "100 TL'den"),
        ("ar", "السعر 1,299 ريال اليوم", "1,299 ريال"),
        ("de", "Jetzt ab 249 € kaufen", "ab 249 €"),
        ("en", "Tickets from 249 € each", "from 249 €"),
        ("fr", "Livraison dès 9,99 € seulement", "dès 9,99 €"),
        ("es", "Tarifa desde 12,50 €/mes hoy", "desde 12,50 €/mes"),
        ("ru", "Комплект всего 990 ₽ сегодня", "всего 990 ₽"),
        ("tr", "Kahve sadece 49 ₺ bugün", "sadece 49 ₺"),
        ("he", "טיסות לאילת החל מ-249 ₪ בלבד", "החל מ-249"),
        ("ru", "Акция 3 по цене 2 до конца", "3 по цене 2"),
        ("it", "Oggi 3 al prezzo di 2 su tutto", "3 al prezzo di 2"),
        ("en", "Today buy 2 get 1 free", "buy 2 get 1"),
        ("tr", "3 GECE KAL, 2 GECE ÖDE", "2 GECE"),
        ("tr", "3 GECE KAL, 2 GECE ÖDE", "3 GECE"),
        ("en", "GET 3 MONTHS FREE", "3 MONTHS"),
        ("en", "New iPhone 15 in stock", "iPhone 15"),
        ("en", "Galaxy S24 and more", "Galaxy S24"),
        ("en", "Drive the Model X today", "Model X"),
        ("ru", "СКИДКИ НА ВСЕ ТОВАРЫ", "НА ВСЕ"),
        ("pl", "DOSTAWA DO DOMU ZA DARMO", "DO DOMU"),
        ("ar", "خصم كبير في المتجر اليوم", "في المتجر"),
        ("ar", "شحن مجاني مع كل طلب", "مع كل"),
    ],
)
def test_group_is_one_unit(language: str, text: str, group: str) -> None:
    assert _unbroken(text, language, group), linebreak.atoms(text, language)


def test_long_katakana_word_is_not_split_inside_a_short_run() -> None:
    parts = linebreak._split_atom(linebreak.Atom("濃厚ラーメンセットが安いです", True, True), "ja")
    assert "ラーメンセット" in [p.text for p in parts]


def test_prolonged_sound_mark_never_starts_a_chinese_line() -> None:
    assert linebreak._no_start("ー", japanese=False)


def test_model_rule_keeps_heading_balance() -> None:
    # A model number in upper case is no count: "TRAIL 3" / "CAMPING TENT" stays possible.
    assert linebreak.atoms("TRAIL 3 CAMPING TENT", "en")[0].text == "TRAIL 3"


@pytest.mark.parametrize(
    ("language", "text", "group"),
    [
        ("es", "Envío desde 9,99 € hoy", "desde 9,99 €"),
        ("pt", "Planos a partir de R$ 49 por mês", "a partir de R$ 49"),
        ("pt", "Tênis por apenas R$ 199 hoje", "por apenas R$ 199"),
        ("pt", "LEVE 3 PAGUE 2 EM CAMISETAS", "LEVE 3 PAGUE 2"),
        ("pt", "pague 2 leve 3 camisetas", "pague 2 leve 3"),
        ("es", "lleva 3 paga 2 esta semana", "lleva 3 paga 2"),
        ("es", "Promo 2 x 1 en pizzas", "2 x 1"),
        ("es", "Hasta 50% de descuento en todo", "Hasta 50% de descuento"),
        ("pt", "Até 50% de desconto hoje", "Até 50% de desconto"),
        ("es", "Chaqueta -30% dto. hoy", "-30% dto."),
    ],
)
def test_spanish_and_portuguese_prices_and_deals_are_one_unit(
    language: str, text: str, group: str
) -> None:
    """ "Hasta | 50% de | descuento" or "pague | 2 leve 3" read as broken claims."""
    assert _unbroken(text, language, group), linebreak.atoms(text, language)


@pytest.mark.parametrize(
    ("language", "text", "groups"),
    [
        ("uk", "Знижка та у мережі з доставкою й із Києва", ["та у мережі", "й із Києва"]),
        ("uk", "Ціни від 99 грн від виробника", ["від виробника"]),
        ("be", "Зніжка ў краме і з дастаўкай пры заказе", ["ў краме", "пры заказе"]),
        ("bg", "Отстъпка във всички магазини със карта", ["във всички", "със карта"]),
        ("sr", "Попуст у продавници и са доставом", ["у продавници", "и са доставом"]),
        ("mk", "Попуст во продавницата и со достава", ["во продавницата", "и со достава"]),
    ],
)
def test_short_slavic_words_never_end_a_line(language: str, text: str, groups: list[str]) -> None:
    for group in groups:
        assert _unbroken(text, language, group), linebreak.atoms(text, language)


_KOREAN = ["촉촉한 피부 봄", "새 크림 봄", "피부를촉촉하게가꿔주는크림입니다"]


def _wrap(text: str, language: str, width: float) -> list[str] | None:
    """Lines of ``text`` with every character 10 px wide and a 5 px space (no font needed)."""
    atoms = linebreak.atoms(text, language)

    def measure(part: str) -> float:
        return 10.0 * len(part)

    widths = [measure(a.text) for a in atoms]
    return linebreak.wrap(atoms, widths, 5.0, width, 99, measure, language)


@pytest.mark.parametrize("text", _KOREAN)
def test_no_one_syllable_last_line_in_korean(text: str) -> None:
    """ "촉촉한 피부 | 봄" ends a headline on a stray syllable; like the one-character rule of
    Chinese and Japanese, the word (or syllable) before it moves down when it fits."""
    wrapped = 0
    for width in range(30, 10 * len(text) + 10):
        lines = _wrap(text, "ko", width)
        if lines is None or len(lines) < 2:
            continue
        wrapped += 1
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        if len(lines[-1]) == 1:
            # Allowed only where what would move down does not fit beside it.
            above = lines[-2].split()
            moved = 10 * len(above[-1]) + 5 if " " in text else 10
            assert (" " in text and len(above) < 2) or moved + 10 > width - 0.1, (width, lines)
        else:
            wrapped += 1
    assert wrapped


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("ja", "ハリー・ポッターの新作が登場", "ハリー・ポッター"),
        ("ja", "映画ハリー・ポッターと賢者の石", "ハリー・ポッター"),
        ("ja", "レオナルド・ダ・ヴィンチ展が開幕", "レオナルド・ダ・ヴィンチ"),
        ("zh", "哈利·波特全集限时特价", "哈利·波特"),
        ("zh", "列奥纳多·达·芬奇特展开幕", "列奥纳多·达·芬奇"),
        ("zh-Hant", "哈利‧波特全集限時特價", "哈利‧波特"),
    ],
)
def test_the_middle_dot_of_a_name_never_starts_or_ends_a_line(
    language: str, text: str, name: str
) -> None:
    """ "ハリー | ポッター" (the dot dropped as a list separator) or "哈利· | 波特" cuts a name;
    the name goes whole to a line, and a smaller size is taken when it must."""
    wrapped = 0
    for width in range(25, 10 * len(text) + 10):
        lines = _wrap(text, language, width)
        if lines is None or len(lines) < 2:
            continue
        wrapped += 1
        assert "".join(lines) == text, (width, lines)
        assert all(line[0] not in "・·‧" and line[-1] not in "・·‧" for line in lines), lines
        assert any(name in line for line in lines), (width, lines)
    assert wrapped


def test_a_japanese_list_dot_between_kanji_still_separates() -> None:
    """ "初月無料・月額980円から・全国対応" is a list: a line may break at its dots."""
    wraps = [_wrap("初月無料・月額980円から・全国対応", "ja", w) for w in range(60, 200)]
    assert any(ls and any(line.startswith("全国") for line in ls) for ls in wraps)


def test_a_chinese_price_with_a_currency_code_stays_whole_when_a_phrase_is_split() -> None:
    # Atoms glue "立减" to "RMB99元"; a long phrase split between characters must keep the
    # same price whole, or "立减RMB | 99元" comes back where the phrase is cut.
    assert "立减RMB99元" in linebreak._price_units("超长续航手机立减RMB99元限时抢购")
    assert "每月NT 699元起" in linebreak._price_units("動力健身房每月NT 699元起")


@pytest.mark.parametrize(
    ("language", "text", "group"),
    [
        # "КАМЕРА 200 | МП" leaves megapixels without their number.
        ("ru", "СМАРТФОН NOVA 12: КАМЕРА 200 МП", "200 МП"),
        ("ru", "Камера 200 Мп и батарея", "200 Мп"),
        ("ru", "Камера 200 Мпикс в кармане", "200 Мпикс"),
        ("ru", "БАТАРЕЯ 5000 МАЧ НА ДВА ДНЯ", "5000 МАЧ"),
        ("ru", "БАТАРЕЯ 5000 МА·Ч НА ДВА ДНЯ", "5000 МА·Ч"),
        ("uk", "БАТАРЕЯ 5000 МА·ГОД", "5000 МА·ГОД"),
        ("ru", "ДИСК 2 ТБ В КОМПЛЕКТЕ", "2 ТБ"),
        ("ru", "ЭКРАН 120 ГЦ ДЛЯ ИГР", "120 ГЦ"),
        ("ru", "Экран 120 Гц для игр", "120 Гц"),
        ("ru", "ЗАРЯДКА 65 ВТ ЗА ЧАС", "65 ВТ"),
        ("ru", "ЭКРАН 6,7 ДЮЙМА", "6,7 ДЮЙМА"),
        ("en", "SCREEN 15 INCH WIDE", "15 INCH"),
        ("de", "Display 15 Zoll groß", "15 Zoll"),
    ],
)
def test_a_number_keeps_its_unit_in_any_case(language: str, text: str, group: str) -> None:
    assert _unbroken(text, language, group), linebreak.atoms(text, language)


@pytest.mark.parametrize(
    ("language", "text", "name", "group"),
    [
        # "СМАРТФОН NOVA | 12: КАМЕРА…" and "Notebook Orion | 14:" leave the model number on a
        # line of its own, away from the product it names.
        ("ru", "СМАРТФОН NOVA 12: КАМЕРА 200 МП", "Смартфон Nova 12", "NOVA 12:"),
        ("ru", "Смартфон Nova 12: скидка 5 000 ₽", "Смартфон Nova 12", "Nova 12:"),
        ("pt", "Notebook Orion 14: economize R$ 500", "Notebook Orion 14", "Orion 14:"),
        ("en", "Meet the nova 12 pro max today", "Nova 12", "nova 12 pro max"),
    ],
)
def test_a_model_number_stays_with_the_product_name(
    language: str, text: str, name: str, group: str
) -> None:
    assert any(group in a.text for a in linebreak.atoms(text, language, (name,)))


def test_a_number_outside_the_product_name_is_no_model_number() -> None:
    # Only the name's own number is glued: "скидка 5" is not a model.
    found = linebreak._name_words(
        ["Смартфон", "Nova", "12:", "скидка", "5", "дней"], ("Смартфон Nova 12",)
    )
    assert found == frozenset({2})


def test_fitting_never_starts_a_line_with_the_product_names_number() -> None:
    text = "Смартфон Nova 12: скидка 5 000 ₽ по промокоду NOVA5"
    face = resolve_face(text, "Inter", "bold", "ru")
    fits = [
        fit_text(
            text,
            face,
            box_w=width,
            box_h=10**6,
            max_size=24,
            min_size=10,
            max_lines=6,
            language="ru",
            names=("Смартфон Nova 12",),
        )
        for width in range(60, 400, 7)
    ]
    assert any(f is not None and len(f.lines) > 1 for f in fits)
    for fitted in fits:
        if fitted is not None:
            assert not any(line.startswith("12") for line in fitted.lines), fitted.lines


@pytest.mark.parametrize(
    ("text", "group"),
    [
        # "%20 | indirim" cuts the discount from its amount, as "20% | off" would; "2 gece |
        # öde" leaves "pay" alone on a line.
        ("Barista Kahve Makinesi: %20 indirim", "%20 indirim"),
        ("BARİSTA KAHVE MAKİNESİ: %20 İNDİRİM · DAHİLİ ÖĞÜTÜCÜ", "%20 İNDİRİM ·"),
        ("Yaz fırsatı: %15 indirimli kargo", "%15 indirimli"),
        ("Mavi Koy Otel: 3 gece kal, 2 gece öde", "3 gece kal, 2 gece öde"),
        ("MAVİ KOY OTEL: 3 GECE KAL, 2 GECE ÖDE", "3 GECE KAL, 2 GECE ÖDE"),
    ],
)
def test_turkish_deals_keep_their_amounts(text: str, group: str) -> None:
    found = [a.text for a in linebreak.atoms(text, "tr")]
    assert group in found, found


def test_a_percent_written_first_starts_its_amount() -> None:
    # Turkish writes "%20": the sign opens the amount, so the line may break before it.
    found = [a.text for a in linebreak.atoms("Barista Kahve Makinesi: %20 indirim", "tr")]
    assert "Makinesi:" in found, found
