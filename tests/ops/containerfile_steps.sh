#!/usr/bin/env bash
# Replay the Containerfile's steps without a container engine (none on the development machines):
# its Debian packages must exist, and its COPY, pip install, collectstatic and CMD must give a
# gunicorn that answers /healthz and /readyz. Run by hand after changing the Containerfile:
#
#   bash tests/ops/containerfile_steps.sh            (about two minutes: pip installs from PyPI)
#
# It works in a temporary folder and stops the gunicorn it started, by its process id.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

echo "==> hadolint"
if [ -x .venv/bin/hadolint ]; then .venv/bin/hadolint Containerfile; else echo "(not installed)"; fi

echo "==> apt-get packages exist (the host is Debian 12, like the base image)"
packages=$(sed -n '/apt-get install/,/rm -rf/p' Containerfile | tr ' \\' '\n\n' \
  | grep -E '^(lib|fonts-)' | sort -u)
apt-get install --simulate --no-install-recommends $packages >/dev/null
echo "$packages" | tr '\n' ' '; echo

echo "==> COPY into $work/app"
mkdir -p "$work/app"
grep -E '^COPY ' Containerfile | while read -r _copy args; do
  read -ra parts <<<"$args"
  unset 'parts[${#parts[@]}-1]'
  for source in "${parts[@]}"; do cp -r "$root/$source" "$work/app/"; done
done
ls "$work/app"

echo "==> python -m venv, pip install ."
python3.11 -m venv "$work/venv"
(cd "$work/app" && "$work/venv/bin/pip" install --quiet --no-cache-dir .)

export PYTHONPATH="$work/app" PATH="$work/venv/bin:$PATH"
echo "==> collectstatic as at build"
(cd "$work/app" && SECRET_KEY=collectstatic-only-not-a-secret DEBUG=false \
  python manage.py collectstatic --no-input --verbosity 0)
ls "$work/app/var/static" | head -5

echo "==> WeasyPrint renders with these libraries"
python -c "import weasyprint; assert weasyprint.HTML(string='<p>dsar</p>').write_pdf()[:5] == b'%PDF-'"

echo "==> migrate (SQLite here), then the CMD: gunicorn, /healthz and /readyz"
export SECRET_KEY=containerfile-steps-only DEBUG=false ALLOWED_HOSTS=privacy.example.org \
  DATABASE_URL="sqlite:///$work/db.sqlite3" PRIVATE_STORAGE_ROOT="$work/data/private" \
  MEDIA_ROOT="$work/data/media" WEB_CONCURRENCY=2
(cd "$work/app" && python manage.py migrate --no-input --verbosity 0)
port=$((20000 + RANDOM % 20000))
cmd=$(sed -n 's/^CMD \[\(.*\)\]$/\1/p' Containerfile | tr -d '",')
cmd=${cmd/0.0.0.0:8000/127.0.0.1:$port}
(cd "$work/app" && exec $cmd) &
pid=$!
for _ in $(seq 30); do
  python - "$port" 2>/dev/null <<'PY' && break || sleep 1
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/healthz", timeout=2)
PY
done
python - "$port" <<'PY'
import json, sys, urllib.request
base = f"http://127.0.0.1:{sys.argv[1]}"
for path in ("/healthz", "/readyz"):
    with urllib.request.urlopen(base + path, timeout=5) as response:
        print(path, response.status, json.loads(response.read()))
PY
echo "==> Containerfile steps passed"
