"""A small OpenID Connect provider for tests: discovery, keys, a sign-in form, the token endpoint.

It implements what adcraft's single sign-on uses — authorization code flow, PKCE (S256),
client_secret_basic/post, RS256 ID tokens with nonce — and checks each of them, so a client that
skips one fails here. People are whoever the test registers (email → name, verified or not); the
form asks only for the email (no password: the test stands in for the person).
"""

from __future__ import annotations

import base64
import hashlib
import html
import secrets
import time
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import FastAPI, Form, Header, HTTPException
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from joserfc import jwt
from joserfc.jwk import RSAKey

from tests.platform.servers import ServerThread


@dataclass
class Person:
    name: str
    verified: bool = True


@dataclass
class LocalIdP:
    client_id: str = "adcraft-test"
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    redirect_uris: set[str] = field(default_factory=set)
    people: dict[str, Person] = field(default_factory=dict)
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "k1"}))
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    _server: ServerThread | None = None

    @property
    def issuer(self) -> str:
        assert self._server is not None
        return self._server.url

    def __enter__(self) -> LocalIdP:
        self._server = ServerThread(self._app())
        self._server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.__exit__(*exc)

    def _app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/.well-known/openid-configuration")
        def discovery() -> dict[str, Any]:
            return {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
            }

        @app.get("/jwks")
        def jwks() -> dict[str, Any]:
            return {"keys": [self.key.as_dict(private=False)]}

        @app.get("/authorize", response_class=HTMLResponse)
        def authorize(
            client_id: str,
            redirect_uri: str,
            state: str,
            nonce: str,
            code_challenge: str,
            code_challenge_method: str,
            response_type: str = "code",
            scope: str = "",
        ) -> str:
            if client_id != self.client_id or redirect_uri not in self.redirect_uris:
                raise HTTPException(400, "unknown client or redirect_uri")
            if response_type != "code" or code_challenge_method != "S256" or "openid" not in scope:
                raise HTTPException(400, "only the code flow with PKCE S256 and openid scope")
            hidden = "".join(
                f'<input type="hidden" name="{k}" value="{html.escape(v)}">'
                for k, v in {
                    "redirect_uri": redirect_uri,
                    "state": state,
                    "nonce": nonce,
                    "code_challenge": code_challenge,
                }.items()
            )
            return (
                '<!doctype html><html lang="en"><title>Test identity provider</title>'
                "<main><h1>Test identity provider</h1>"
                f'<form method="post" action="/authorize">{hidden}'
                '<label for="email">Email</label> <input id="email" name="email" type="email">'
                ' <button type="submit">Continue</button></form></main></html>'
            )

        @app.post("/authorize")
        def approve(
            redirect_uri: Annotated[str, Form()],
            state: Annotated[str, Form()],
            nonce: Annotated[str, Form()],
            code_challenge: Annotated[str, Form()],
            email: Annotated[str, Form()],
        ) -> RedirectResponse:
            if redirect_uri not in self.redirect_uris:
                raise HTTPException(400, "unknown redirect_uri")
            if email not in self.people:
                query = urlencode({"error": "access_denied", "state": state})
                return RedirectResponse(f"{redirect_uri}?{query}", status_code=303)
            code = secrets.token_urlsafe(24)
            self.codes[code] = {
                "email": email,
                "nonce": nonce,
                "challenge": code_challenge,
                "redirect_uri": redirect_uri,
                "until": time.time() + 60,
            }
            return RedirectResponse(
                f"{redirect_uri}?{urlencode({'code': code, 'state': state})}", 303
            )

        @app.post("/token")
        def token(
            grant_type: Annotated[str, Form()],
            code: Annotated[str, Form()],
            redirect_uri: Annotated[str, Form()],
            code_verifier: Annotated[str, Form()],
            client_id: Annotated[str | None, Form()] = None,
            client_secret: Annotated[str | None, Form()] = None,
            authorization: Annotated[str | None, Header()] = None,
        ) -> JSONResponse:
            if authorization and authorization.startswith("Basic "):
                cid, _, secret = base64.b64decode(authorization[6:]).decode().partition(":")
            else:
                cid, secret = client_id or "", client_secret or ""
            if cid != self.client_id or secret != self.client_secret:
                return JSONResponse({"error": "invalid_client"}, status_code=401)
            grant = self.codes.pop(code, None)  # a code works once
            challenge = (
                base64.urlsafe_b64encode(hashlib.sha256(code_verifier.encode()).digest())
                .rstrip(b"=")
                .decode()
            )
            if (
                grant_type != "authorization_code"
                or grant is None
                or grant["until"] < time.time()
                or grant["redirect_uri"] != redirect_uri
                or grant["challenge"] != challenge
            ):
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
            person = self.people[grant["email"]]
            now = int(time.time())
            claims = {
                "iss": self.issuer,
                "aud": self.client_id,
                "sub": hashlib.sha256(grant["email"].encode()).hexdigest()[:16],
                "iat": now,
                "exp": now + 300,
                "nonce": grant["nonce"],
                "email": grant["email"],
                "email_verified": person.verified,
                "name": person.name,
            }
            id_token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, self.key)
            return JSONResponse(
                {
                    "access_token": secrets.token_urlsafe(16),
                    "token_type": "Bearer",
                    "expires_in": 300,
                    "id_token": id_token,
                }
            )

        return app
