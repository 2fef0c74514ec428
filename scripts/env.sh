# Sourced by ./cnn4j, ./run-tests and examples/run: finds a JDK 25 and Maven, or says what to install.
# Sets JAVA_HOME and MVN; exits 3 with a message when either is missing. Defines cnn4j_mvn, cnn4j_build
# and cnn4j_java for the scripts.

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

# Maven 3.8 (Debian's, at least) writes colour resets (ESC[0m) even with --batch-mode and
# -Dstyle.color=never, and even into a file; they are removed from everything it prints.
cnn4j_mvn() {
    "$MVN" --batch-mode -ntp -Dstyle.color=never "$@" 2>&1 | sed -u $'s/\e\\[[0-9;]*m//g'
    return "${PIPESTATUS[0]}"
}

# A quiet build for a launcher: Maven's output goes to a log, shown on stderr only when the build fails.
cnn4j_build() {
    local log status=0
    log=$(mktemp "${TMPDIR:-/tmp}/cnn4j-build.XXXXXX")
    cnn4j_mvn -q "$@" >"$log" || status=$?
    if [ "$status" -ne 0 ]; then
        cat "$log" >&2
        echo "cnn4j: the build failed (mvn $*); its output is above." >&2
    fi
    rm -f "$log"
    return "$status"
}

# The JVM flags of ./cnn4j beyond the module (see there), and transparent huge pages for the heap where
# the Linux kernel gives them to a process that asks ("madvise", a common default): a training step walks
# hundreds of megabytes of activations, which in 4 KiB pages cost the processor a page-table walk every
# 4 KiB (resnet trained 5-10% faster with them on an Intel Xeon). Where the kernel gives them to everyone
# ("always") the heap has them already, and where it gives none ("never") the JVM would print a warning,
# so the flag is added for "madvise" alone.
cnn4j_jvm_flags() {
    echo -n "-XX:+UseParallelGC -XX:-TieredCompilation"
    if grep -qs '\[madvise\]' /sys/kernel/mm/transparent_hugepage/enabled; then
        echo -n " -XX:+UseTransparentHugePages"
    fi
}

# Runs java with the Vector API's incubator module. The JVM announces that module on every start, a line
# that says nothing to a user, so it is dropped from stderr; stdout goes straight through, so a progress
# bar still sees the terminal. Ctrl-C reaches every process of the pipeline: the filter ignores it, so
# that it still passes on what the JVM says while it stops training.
cnn4j_java() {
    { "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector "$@" \
        2>&1 1>&3 3>&- | (trap '' INT TERM; exec grep -v --line-buffered '^WARNING: Using incubator modules') >&2; } 3>&1
    return "${PIPESTATUS[0]}"
}
