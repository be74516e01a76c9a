# Sourced by ./mvnw and ./groundwork: exports JAVA_HOME pointing at a JDK 21 or newer.
# Order: $JAVA_HOME if it is 21+, then the newest JDK under the usual install folders, then `java` on PATH.
# Fails with a clear message (exit 2) when no JDK 21+ exists.

gw_java_major() { # prints the feature version of the java binary $1, or nothing
  # the JDK's release file says it without starting a JVM (each start costs ~100 ms, on every
  # command); read with bash alone, since every forked process also costs milliseconds
  local rel="${1%/bin/java}/release" line v
  if [ -f "$rel" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      case "$line" in
        JAVA_VERSION=*)
          v="${line#JAVA_VERSION=\"}"; v="${v#1.}"; v="${v%%[!0-9]*}"
          if [ -n "$v" ]; then echo "$v"; return 0; fi ;;
      esac
    done < "$rel"
  fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | sed 's/^1\.//' | head -n1
}

gw_is_jdk21() { # $1 = candidate home; true when it has java+javac and is 21+; sets GW_V to its version
  GW_V=""
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  GW_V=$(gw_java_major "$1/bin/java")
  [ -n "$GW_V" ] && [ "$GW_V" -ge 21 ] 2>/dev/null
}

gw_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && gw_is_jdk21 "$JAVA_HOME"; then echo "$JAVA_HOME"; return 0; fi
  local best="" bestv=0 d v
  # GROUNDWORK_JDK_DIRS (space-separated globs) replaces the usual install folders; the tests use it
  local dirs="${GROUNDWORK_JDK_DIRS:-/usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* $HOME/.sdkman/candidates/java/* $HOME/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home}"
  for d in $dirs; do
    [ -d "$d" ] || continue
    gw_is_jdk21 "$d" || continue
    v="$GW_V"
    if [ "$v" -gt "$bestv" ]; then best="$d"; bestv="$v"; fi
  done
  if [ -n "$best" ]; then echo "$best"; return 0; fi
  if [ -z "${GROUNDWORK_JDK_DIRS:-}" ] && command -v javac >/dev/null 2>&1; then
    d=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    if gw_is_jdk21 "$d"; then echo "$d"; return 0; fi
  fi
  return 1
}

if GW_JDK=$(gw_find_jdk); then
  export JAVA_HOME="$GW_JDK"
  export PATH="$JAVA_HOME/bin:$PATH"
else
  echo "groundwork: no JDK 21 or newer found (JAVA_HOME=${JAVA_HOME:-unset}; looked in /usr/lib/jvm, /usr/java, /opt, ~/.sdkman, ~/.jdks and PATH)." >&2
  echo "groundwork: install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+) or set JAVA_HOME to it." >&2
  exit 2
fi
