"""Interoperability oracle for ZeroTrustKit's JWS/JWT code, using PyJWT and joserfc.

usage:
  jwt_interop.py verify ALG JWK_FILE TOKEN    verify with both libraries; print the claims; exit 0/1
  jwt_interop.py sign ALG JWK_FILE             print two tokens (PyJWT, joserfc), one per line
Exit 3 when a library is missing (the test fails with that message; it never skips).
"""
import json
import warnings
import sys
import time

try:
    import jwt as pyjwt
    from joserfc import jwt as jose_jwt
    from joserfc.jwk import JWKRegistry
except ImportError as error:  # pragma: no cover
    print(f"missing interop dependency: {error}; run scripts/setup.sh", file=sys.stderr)
    sys.exit(3)

# joserfc warns that "EdDSA" is deprecated by RFC 9864 (fully-specified algorithms); the name is
# still the one RFC 8037 defines and the one under test.
warnings.filterwarnings("ignore", message=".*deprecated.*")


def load(path):
    with open(path) as handle:
        return json.load(handle)


def verify(alg, jwk, token):
    pyjwt_key = pyjwt.PyJWK(jwk, algorithm=alg).key
    # Verify with the public half, so the private members cannot be what makes it pass.
    if hasattr(pyjwt_key, "public_key"):
        pyjwt_key = pyjwt_key.public_key()
    claims_a = pyjwt.decode(token, pyjwt_key, algorithms=[alg], audience="interop",
                            options={"require": ["exp", "iat"]})
    jose_key = JWKRegistry.import_key(jwk)
    decoded = jose_jwt.decode(token, jose_key, algorithms=[alg])
    jose_jwt.JWTClaimsRegistry(exp={"essential": True}, aud={"essential": True, "value": "interop"}).validate(decoded.claims)
    if claims_a != decoded.claims:
        raise SystemExit("libraries disagree on the claims")
    if decoded.header.get("alg") != alg:
        raise SystemExit("unexpected alg header")
    print(json.dumps(claims_a, sort_keys=True))


def sign(alg, jwk):
    now = int(time.time())
    claims = {"sub": "py-user", "aud": "interop", "iss": "python", "iat": now, "exp": now + 300,
              "jti": f"py-{now}", "roles": ["data_scientist"]}
    headers = {"kid": jwk["kid"], "typ": "JWT"}
    pyjwt_key = pyjwt.PyJWK(jwk, algorithm=alg)
    print(pyjwt.encode(claims, pyjwt_key.key, algorithm=alg, headers=headers))
    jose_key = JWKRegistry.import_key(jwk)
    print(jose_jwt.encode({"alg": alg, **headers}, claims, jose_key, algorithms=[alg]))


def main():
    command, alg, path = sys.argv[1], sys.argv[2], sys.argv[3]
    jwk = load(path)
    try:
        if command == "verify":
            verify(alg, jwk, sys.argv[4])
        else:
            sign(alg, jwk)
    except SystemExit:
        raise
    except Exception as error:  # a verification failure is a verdict, not a crash
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)


main()
