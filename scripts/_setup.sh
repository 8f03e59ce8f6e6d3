# Shared by scripts/build-lessons and scripts/run-tests (sourced, not run).
# Creates ./.venv (or $HEALTHKIT_VENV), installs healthkit into it, and installs Debian
# packages that are missing. Safe to run again: it only does what is not done yet.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${HEALTHKIT_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"
cd "$ROOT"

# Bold only on a terminal, and never when NO_COLOR is set (https://no-color.org).
if [ -t 2 ] && [ -z "${NO_COLOR:-}" ]; then
  say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
else
  say() { printf '==> %s\n' "$*" >&2; }
fi

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "error: '$*' needs root; run it as root or install sudo" >&2; exit 1
  fi
}

APT_UPDATED=""
apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: missing system packages ($*) and no apt-get here; install them yourself" >&2
    exit 1
  fi
  say "installing Debian packages: $*"
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ensure_venv() {
  if ! command -v "$PYTHON" >/dev/null 2>&1; then apt_install python3; fi
  if [ ! -x "$VENV/bin/python" ]; then
    if ! "$PYTHON" -c "import venv, ensurepip" >/dev/null 2>&1; then apt_install python3-venv; fi
    say "creating virtual environment in $VENV"
    "$PYTHON" -m venv "$VENV"
  fi
}

# ensure_python_deps [EXTRAS]: install healthkit (editable) with optional extras such as
# "lab" or "lab,test", once per change of pyproject.toml.
ensure_python_deps() {
  local extra="${1:-}" spec="." stamp hash
  [ -n "$extra" ] && spec=".[$extra]"
  stamp="$VENV/.healthkit-installed${extra:+-${extra//,/-}}"
  hash="$(cat pyproject.toml | sha256sum | cut -c1-16)"
  if [ "$(cat "$stamp" 2>/dev/null || true)" != "$hash" ]; then
    say "installing healthkit${extra:+ with [$extra]} into $VENV"
    # Before it was named healthkit-lessons the distribution was called healthkit.
    if "$VENV/bin/python" -m pip show --quiet healthkit >/dev/null 2>&1; then
      "$VENV/bin/python" -m pip uninstall --quiet --yes healthkit 2> >(grep -v '^WARNING: Location' >&2)
    fi
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$spec" 2> >(grep -v '^WARNING: Location' >&2)
    echo "$hash" > "$stamp"
  fi
}

# Wheels of healthkit's dependencies for the Pythons the install tests use, so the tests
# install into fresh venvs without downloading (see tests/pythons.py).
ensure_test_wheels() {
  "$VENV/bin/python" -m tests.pythons prepare 2> >(grep -v '^WARNING: Location' >&2)
}

# Debian's Chromium drives the browser tests (Playwright never downloads a browser here).
ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then apt_install chromium fonts-dejavu-core; fi
}

# Inputs of a Lite site (Pyodide, JupyterLite, the wheels its kernel loads): pinned with their
# hashes in healthkit/lite/pins.py, downloaded once into the user's cache and verified, so the
# tests build Lite sites without downloading anything.
ensure_lite_inputs() {
  "$VENV/bin/healthkit" lite --download-only >/dev/null
}

# Independent checkers for the SCORM tests: xmllint (validates manifests against the SCORM
# schemas), Node.js, and the npm packages pinned in tests/tools/package-lock.json (a SCORM
# run-time playing the learning platform, and the schema files), installed into .cache/npm.
NPM_DIR="$ROOT/.cache/npm"
ensure_test_tools() {
  local missing=()
  command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
  local lock="$ROOT/tests/tools/package-lock.json" stamp="$NPM_DIR/.installed" hash
  hash="$(cat "$ROOT/tests/tools/package.json" "$lock" | sha256sum | cut -c1-16)"
  if [ "$(cat "$stamp" 2>/dev/null || true)" != "$hash" ]; then
    say "installing the test tools from tests/tools/package-lock.json into .cache/npm"
    rm -rf "$NPM_DIR"
    mkdir -p "$NPM_DIR"
    cp "$ROOT/tests/tools/package.json" "$lock" "$NPM_DIR/"
    (cd "$NPM_DIR" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$hash" > "$stamp"
  fi
}
