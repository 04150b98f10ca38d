#!/usr/bin/env bash
# Builds the Debian package of the build tree BUILD_DIR with CPack and checks
# it with dpkg-deb: the control fields, the maintainer scripts, the files at
# their installed paths, and that the installed binary finds its data there
# (unpacked into a temporary root, it locates sealanes.bin and the web
# application under ../share/relos). Run by ctest as `package_deb`.
#
# usage: packaging/check-deb.sh BUILD_DIR
set -euo pipefail
BUILD="$(cd "${1:?usage: check-deb.sh BUILD_DIR}" && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/relos-deb.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# gzip rather than xz, and stripped: this package is read once, here.
cpack --config "$BUILD/CPackConfig.cmake" -G DEB -B "$WORK/out" -D CPACK_DEBIAN_COMPRESSION_TYPE=gzip -D CPACK_STRIP_FILES=ON >"$WORK/cpack.log" 2>&1 ||
  { cat "$WORK/cpack.log" >&2; exit 1; }
deb="$(ls "$WORK"/out/relos_*.deb 2>/dev/null | head -1)"
[[ -n "$deb" ]] || { cat "$WORK/cpack.log" >&2; echo "FAIL: cpack made no relos_*.deb" >&2; exit 1; }
echo "package: $(basename "$deb")"

field() { dpkg-deb -f "$deb" "$1"; }
[[ "$(field Package)" == relos ]] || fail "Package is '$(field Package)'"
[[ "$(field Version)" =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]] || fail "Version '$(field Version)'"
[[ "$(field Architecture)" == "$(dpkg --print-architecture)" ]] || fail "Architecture '$(field Architecture)'"
[[ -n "$(field Maintainer)" ]] || fail "no Maintainer"
[[ -n "$(field Description)" ]] || fail "no Description"
depends="$(field Depends)"
for lib in adduser libsqlite3 libpq5 libsodium libssl3 libstdc++6; do
  [[ "$depends" == *"$lib"* ]] || fail "Depends lacks $lib: $depends"
done

dpkg-deb -c "$deb" | awk '{print $1, $NF}' >"$WORK/contents"
has() { # MODE-PREFIX PATH
  grep -q "^$1[^ ]* \\./${2#/}\$" "$WORK/contents" || fail "no $2 (mode $1...) in the package"
}
has -rwxr-xr-x /usr/bin/relos
has -rw-r--r-- /lib/systemd/system/relos.service
has -rw-r--r-- /etc/relos/relos.toml
has -rw-r--r-- /usr/share/doc/relos/operations.md
[[ -f "$BUILD/src/cli/sealanes.bin" ]] && has -rw-r--r-- /usr/share/relos/sealanes.bin
[[ -f "$BUILD/src/cli/web/index.html" ]] && has -rw-r--r-- /usr/share/relos/web/index.html

dpkg-deb -e "$deb" "$WORK/control"
for s in postinst prerm postrm; do
  [[ -x "$WORK/control/$s" ]] || fail "no executable $s"
done
grep -q 'adduser --system --group' "$WORK/control/postinst" || fail "postinst does not create the relos system user"
[[ "$(cat "$WORK/control/conffiles")" == /etc/relos/relos.toml ]] || fail "conffiles: $(cat "$WORK/control/conffiles")"

dpkg-deb -x "$deb" "$WORK/root"
unit="$WORK/root/lib/systemd/system/relos.service"
for line in "User=relos" "ExecStart=/usr/bin/relos serve --config /etc/relos/relos.toml" "StateDirectory=relos" \
            "NoNewPrivileges=yes" "ProtectSystem=strict"; do
  grep -qx "$line" "$unit" || fail "the unit lacks '$line'"
done
if command -v systemd-analyze >/dev/null 2>&1; then
  # Unknown keys and bad values; what this machine lacks (the binary, a
  # running systemd) does not count.
  systemd-analyze verify "$unit" >"$WORK/analyze.log" 2>&1 || true
  if grep -E "Unknown|Failed to parse|ignoring" "$WORK/analyze.log" >&2; then fail "systemd-analyze verify"; fi
fi

# The unpacked binary reads the sample config and finds its data under
# ../share/relos, as /usr/bin/relos finds /usr/share/relos.
relos="$WORK/root/usr/bin/relos"
"$relos" --db "$WORK/check.db" init --demo-registry >/dev/null
if [[ -f "$BUILD/src/cli/sealanes.bin" ]]; then
  (cd "$WORK" && "$relos" route --from mumbai --to kochi) >"$WORK/route.txt" 2>&1 ||
    { cat "$WORK/route.txt" >&2; fail "relos route did not find the installed sealanes.bin"; }
fi
sed -e "s|/var/lib/relos/relos.db|$WORK/check.db|" -e 's|^port = 8080|port = 0|' \
  "$WORK/root/etc/relos/relos.toml" >"$WORK/relos.toml"
"$relos" serve --config "$WORK/relos.toml" >"$WORK/serve.out" 2>"$WORK/serve.err" &
pid=$!
for _ in $(seq 100); do
  grep -q "relos serve: listening" "$WORK/serve.out" && break
  sleep 0.1
done
kill -TERM "$pid" 2>/dev/null || true
wait "$pid" || fail "relos serve under the sample config did not stop cleanly"
grep -q "(database $WORK/check.db)" "$WORK/serve.out" || fail "serve did not use the config's database: $(cat "$WORK/serve.out")"
if [[ -f "$BUILD/src/cli/web/index.html" ]]; then
  grep -q "the web application from $WORK/root/usr/share/relos/web" "$WORK/serve.out" ||
    fail "serve did not find the installed web application: $(cat "$WORK/serve.out")"
fi

if ((failures)); then
  echo "$failures failed" >&2
  exit 1
fi
echo "package checks passed"
