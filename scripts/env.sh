# Sourced by ./cnn4j and ./run-tests: finds a JDK 25 and Maven, or says what to install.
# Sets JAVA_HOME and MVN; exits 3 with a message when either is missing.

cnn4j_find_jdk() {
    local candidates=()
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
    candidates+=(/usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk-arm64 /usr/lib/jvm/java-25-openjdk-amd64
                 /usr/lib/jvm/java-25-openjdk-arm64 /usr/lib/jvm/jdk-25* /usr/lib/jvm/*25* /opt/java/openjdk
                 /opt/jdk-25* "$HOME"/.sdkman/candidates/java/25* /Library/Java/JavaVirtualMachines/*25*/Contents/Home)
    if command -v java >/dev/null 2>&1; then
        candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
    fi
    local dir version
    for dir in "${candidates[@]}"; do
        [ -x "$dir/bin/javac" ] || continue
        version=$("$dir/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
        if [ "${version%%.*}" -ge 25 ] 2>/dev/null; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

if ! JAVA_HOME=$(cnn4j_find_jdk); then
    cat >&2 <<'MSG'
cnn4j needs a JDK 25 or newer (with javac and the jdk.incubator.vector module) and found none:
not in JAVA_HOME, not under /usr/lib/jvm, not as `java` on the PATH.
Install one, e.g. Eclipse Temurin 25 (https://adoptium.net, or `apt-get install temurin-25-jdk` from
Adoptium's Debian repository), then run this again or set JAVA_HOME to it.
MSG
    exit 3
fi
export JAVA_HOME

if command -v mvn >/dev/null 2>&1; then
    MVN=mvn
else
    cat >&2 <<'MSG'
cnn4j builds with Apache Maven 3.8 or newer, and `mvn` is not on the PATH.
Install it (`apt-get install maven` on Debian/Ubuntu, `brew install maven` on macOS) and run this again.
MSG
    exit 3
fi

# Maven's own libraries call sun.misc.Unsafe, which JDK 25 warns about on every build.
export MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow ${MAVEN_OPTS:-}"
