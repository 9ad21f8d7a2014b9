# Sourced by ./mvnw, deploy/run and .ci/run: sets JAVA_HOME to a JDK 21 or newer, or explains and exits.
# Looks at $JAVA_HOME, then Debian's JVM directory (newest first), then the java on the PATH.

java_feature_version() {
  # Prints the major version of the java at $1/bin/java (e.g. 17, 21, 25), or nothing.
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

pick_jdk() {
  local candidates=() c v
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
  while IFS= read -r c; do candidates+=("$c"); done < <(ls -d /usr/lib/jvm/*/ 2>/dev/null | sed 's#/$##' | sort -rV)
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for c in "${candidates[@]}"; do
    [[ -x "$c/bin/java" && -x "$c/bin/javac" ]] || continue
    v=$(java_feature_version "$c")
    if [[ -n "$v" && "$v" -ge 21 ]]; then
      echo "$c"
      return 0
    fi
  done
  return 1
}

if ! JAVA_HOME=$(pick_jdk); then
  echo "ERROR: Agentyard needs a JDK 21 or newer, and none was found (looked at \$JAVA_HOME, /usr/lib/jvm/*, and java on the PATH)." >&2
  echo "       Install one (e.g. apt-get install openjdk-21-jdk-headless, or Temurin 21+) and set JAVA_HOME." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
