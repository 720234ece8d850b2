#!/usr/bin/env bash
# Installs the system packages ZeroTrustKit builds and tests against, when they are missing.
# A no-op when everything is present. Used by `make demo`, `make test`, `make bench` and .ci/run.
set -euo pipefail

# libssl-dev: OpenSSL 3 libcrypto headers; libsodium-dev: libsodium headers; pkg-config: how
# SwiftPM finds both; openssl: the CLI the interoperability tests compare against; rsyslog: the
# real syslog server the monitoring tests start on loopback.
DEBIAN_PACKAGES=(libssl-dev libsodium-dev pkg-config openssl rsyslog)
HOMEBREW_PACKAGES=(openssl@3 libsodium pkg-config)
# Test oracles only, never used by the library: PyJWT and joserfc (token interoperability),
# ocsf-json-schema and jsonschema (OCSF event validation).
PYTHON_MODULES="jwt, joserfc, cryptography, ocsf_json_schema, jsonschema"
PYTHON_PACKAGES=("PyJWT[crypto]" joserfc ocsf-json-schema jsonschema)

install_python_packages() {
    python3 -c "import ${PYTHON_MODULES}" 2>/dev/null && return 0
    echo "setup: installing Python test oracles: ${PYTHON_PACKAGES[*]}"
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "${PYTHON_PACKAGES[@]}" 2>/dev/null \
        || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "${PYTHON_PACKAGES[@]}"
}

if [[ "$(uname -s)" == "Darwin" ]]; then
    missing=()
    for package in "${HOMEBREW_PACKAGES[@]}"; do
        brew list --versions "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    if ((${#missing[@]})); then
        echo "setup: installing with Homebrew: ${missing[*]}"
        brew install "${missing[@]}"
    fi
    install_python_packages
    exit 0
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "setup: not a Debian-based system; install OpenSSL 3 (libcrypto headers), libsodium headers, pkg-config and rsyslog yourself" >&2
    exit 0
fi

# A python3 already on PATH (pyenv, a virtualenv) is used as it is; otherwise Debian's.
command -v python3 >/dev/null 2>&1 || DEBIAN_PACKAGES+=(python3 python3-pip)

missing=()
for package in "${DEBIAN_PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$package")
done

if ((${#missing[@]})); then
    if [[ "$(id -u)" -ne 0 ]]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            SUDO=(sudo -n)
        else
            echo "setup: missing packages: ${missing[*]}" >&2
            echo "setup: run as root, or: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
            exit 1
        fi
    else
        SUDO=()
    fi
    echo "setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get update -qq
    "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

install_python_packages
