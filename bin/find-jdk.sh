# Sourced by ./mvnw and ./groundwork: exports JAVA_HOME pointing at a JDK 21 or newer.
# Order: $JAVA_HOME if it is 21+, then the newest JDK under the usual install folders, then `java` on PATH.
# Fails with a clear message (exit 2) when no JDK 21+ exists.

gw_java_major() { # prints the feature version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | sed 's/^1\.//' | head -n1
}

gw_is_jdk21() { # $1 = candidate home; true when it has java+javac and is 21+
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  local v; v=$(gw_java_major "$1/bin/java")
  [ -n "$v" ] && [ "$v" -ge 21 ] 2>/dev/null
}

gw_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && gw_is_jdk21 "$JAVA_HOME"; then echo "$JAVA_HOME"; return 0; fi
  local best="" bestv=0 d v
  # GROUNDWORK_JDK_DIRS (space-separated globs) replaces the usual install folders; the tests use it
  local dirs="${GROUNDWORK_JDK_DIRS:-/usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* $HOME/.sdkman/candidates/java/* $HOME/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home}"
  for d in $dirs; do
    [ -d "$d" ] || continue
    gw_is_jdk21 "$d" || continue
    v=$(gw_java_major "$d/bin/java")
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
