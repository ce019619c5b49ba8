"""What the server says reaches the page in the page's language: a refused request (each field
by its label as the form shows it, or a refusal by its code) and warnings about a whole
preview or import; a message the app has no words for stays as the server wrote it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from tests.web.harness import WebServer, sign_in

# The refusals a test makes: name -> an async call of the page's own API module (its session
# and CSRF token) and the test's argument.
REFUSE = """{
  form: (api) => api.post('/generate', {
    brief: { product_name: 'Trail 3 Tent', offer: 'x'.repeat(5000) },
    formats: ['meta_feed_square'], variants: 'three', image_format: 'gif',
  }),
  missing: (api) => api.post('/campaigns', {}),
  logo: (api) => api.post('/generate', {
    brief: { product_name: 'Trail 3 Tent' }, formats: ['google_rda_logo_square'],
  }),
  empty: (api, campaignId) =>
    api.call('PATCH', `/campaigns/${campaignId}`, { json: { name: '   ' } }),
}"""


def _refused(page: Any, tries: str, arg: Any = None) -> dict[str, str]:
    """Each call of ``tries`` (a JS object, as REFUSE) made in the page: the detail the page
    says for each refusal ('accepted' for none), its error box drawn as every view draws one
    and marked with the call's name (``data-case``)."""
    said: dict[str, str] = page.evaluate(
        """async (arg) => {
          const api = await import('/api.js');
          const ui = await import('/ui.js');
          const calls = TRIES;
          const out = {};
          for (const [name, call] of Object.entries(calls)) {
            try {
              await call(api, arg);
              out[name] = 'accepted';
            } catch (err) {
              const box = ui.errorBox(err);
              box.dataset.case = name;
              document.querySelector('main').append(box);
              out[name] = err.detail;
            }
          }
          return out;
        }""".replace("TRIES", tries),
        arg,
    )
    return said


def _in_russian(page: Any, server: WebServer) -> None:
    sign_in(page, server.url, server.key)
    page.locator("#lang").select_option("ru")
    page.get_by_role("heading", name="Новый креатив").wait_for()


def test_refusals_are_said_in_the_page_language(
    page: Any, server: WebServer, api: httpx.Client
) -> None:
    camp = api.post("/campaigns", json={"name": "Spring"})
    assert camp.status_code in (200, 201), camp.text
    _in_russian(page, server)
    said = _refused(page, REFUSE, camp.json()["id"])
    assert "accepted" not in said.values(), said
    # Each refused field by its label on the form, with the limit the server names.
    form = page.locator(".msg-error[data-case='form']")
    lines = form.locator("li").all_inner_texts()
    assert lines == [
        "Предложение: не больше 2000 символов",
        "Варианты: введите число",
        "Формат файлов изображений: выберите одно из значений: jpeg, png, webp",
    ]
    assert form.locator("strong").inner_text() == "Проверьте введённые данные"
    assert said["missing"] == "Название: заполните это поле"
    # Refusals with a code: said in Russian, not as the server's English detail.
    assert said["logo"].startswith("Для форматов с логотипом нужен бренд-кит"), said
    assert said["empty"] == "Название кампании пустое: дайте ей название"
    assert not any("must" in s or "Field required" in s for s in said.values()), said


def test_a_message_without_words_stays_as_the_server_wrote_it(page: Any, server: WebServer) -> None:
    _in_russian(page, server)
    detail = page.evaluate(
        """async () => {
          const api = await import('/api.js');
          try { await api.post('/creatives/nope/edit-preview', { copy: {} }); return 'accepted'; }
          catch (err) { return err.detail; }
        }"""
    )
    assert detail and detail != "accepted"
    assert "nope" in detail  # the English detail, as the server wrote it


def test_import_warnings_are_said_in_the_page_language(
    page: Any, server: WebServer, tmp_path: Path
) -> None:
    products = tmp_path / "products.json"
    products.write_text(
        json.dumps([{"sku": "lamp-7", "name": "Desk Lamp 7", "image": "images/lamp.jpg"}]),
        "utf-8",
    )
    _in_russian(page, server)
    # By role: once checked, the form shows "Товар из каталога", which the label also matches.
    page.get_by_role("radio", name="Из каталога").check()
    page.get_by_label("Импорт products.json (вместе с картинками)").set_input_files(str(products))
    warning = page.locator(".msg-warn", has_text="lamp-7")
    warning.wait_for()
    said = "lamp-7: изображение «images/lamp.jpg» не загружено вместе с файлом"
    assert warning.inner_text() == said


def test_preview_warnings_are_said_in_the_page_language(page: Any, server: WebServer) -> None:
    from tests.web.harness import TENT, fill_brief

    sign_in(page, server.url, server.key)
    fill_brief(page, TENT, variants=2)
    page.locator("#lang").select_option("ru")
    page.get_by_role("heading", name="Новый креатив").wait_for()
    page.get_by_label("Предложение", exact=True).fill("-50 %")
    page.locator("button.preview-styles").click()
    warning = page.locator(".msg-warn", has_text="-50 %")
    warning.wait_for(timeout=60_000)
    said = "Предложение «-50 %» — без слов: напишите, что означают числа (например, «скидка 50 %»)"
    assert warning.inner_text() == said


def test_a_refused_picture_is_said_in_the_page_language(page: Any, server: WebServer) -> None:
    # The refusals a marketer meets most: a file that is not a picture, and a picture cut
    # short in its upload, sent as the brief form uploads its photo.
    _in_russian(page, server)
    said = _refused(
        page,
        """{
          text: (api) => api.uploadAsset(
            new File(['not a picture'], 'фото.jpg', { type: 'image/jpeg' })),
          // A PNG's signature and nothing after it.
          cut: (api) => api.uploadAsset(new File(
            [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
            'logo.png', { type: 'image/png' })),
        }""",
    )
    unreadable = "«фото.jpg» — не изображение, которое adcraft умеет читать"
    assert said["text"].startswith(unreadable), said
    assert "PNG, JPEG, WebP" in said["text"]
    assert page.locator(".msg-error[data-case='text']").inner_text().count("фото.jpg") == 1
    assert said["cut"] == (
        "Изображение «logo.png» обрезано или повреждено: "
        "сохраните его заново или загрузите ещё раз."
    )


def test_an_empty_upload_is_said_in_the_page_language(page: Any, server: WebServer) -> None:
    # A file that lost its bytes on the way (a cloud drive's placeholder, a cancelled export),
    # sent as the brief form uploads its photo: named by the file, in the page's words.
    _in_russian(page, server)
    empty = "{ empty: (api) => api.uploadAsset(new File([], 'фото.jpg', { type: 'image/jpeg' })) }"
    said = _refused(page, empty)
    assert said["empty"] == "Файл «фото.jpg» пуст (0 байт): выберите его ещё раз."
    assert page.locator(".msg-error[data-case='empty']").inner_text().count("фото.jpg") == 1
