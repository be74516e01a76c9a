#!/usr/bin/env bash
# Wall time of `groundwork ask` with the extractive default and with each provider (against the
# testkit's fake servers, so the network adds nothing): median of N runs each, plus the jar sizes.
# Usage: tools/measure-startup.sh [PROJECT_DIR] [N]   (PROJECT_DIR needs an index: run `./groundwork demo` first)
set -euo pipefail
cd "$(dirname "$0")/.."
project="${1:-demo}"
n="${2:-7}"
. bin/find-jdk.sh
java="$JAVA_HOME/bin/java"
./mvnw -B -q -o install -DskipTests >/dev/null
cp="groundwork-testkit/target/classes:groundwork-cli/target/lib/*"
"$java" -cp "$cp" tools/FakeProviders.java > /tmp/fake-providers.env &
fake=$!
trap 'kill $fake' EXIT
for _ in $(seq 50); do [ -s /tmp/fake-providers.env ] && grep -q ANTHROPIC /tmp/fake-providers.env && break; sleep 0.2; done
set -a; . /tmp/fake-providers.env; set +a
export OPENAI_API_KEY=sk-fake ANTHROPIC_API_KEY=ak-fake GROUNDWORK_NO_BUILD=1
q="How many attempts does a job get before the dead-letter queue?"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
run() {
  local label="$1"; shift
  for _ in $(seq "$n"); do
    s=$(date +%s%N); ./groundwork ask -C "$project" "$@" "$q" >/dev/null 2>&1; e=$(date +%s%N)
    echo $(( (e - s) / 1000000 ))
  done | median | xargs printf "%-34s %6s ms\n" "$label"
}
echo "median wall time of \`groundwork ask\` over $n runs ($(nproc) cores, $("$java" -version 2>&1 | head -1))"
run "extractive (default)"
run "openai:gpt-4.1-mini (fake server)" --model openai:gpt-4.1-mini
run "anthropic:claude-haiku-4-5 (fake)" --model anthropic:claude-haiku-4-5
gguf=../shared/data/tinyllamas-stories260K/stories260K.gguf
if [ -f "$gguf" ]; then
  # a copy of the project with a small reply limit: the tiny model's generation, not its start-up, would dominate
  tmp=$(mktemp -d); cp -r "$project/.groundwork" "$tmp/"; printf 'models: {context_window: 2048}\nanswer: {max_tokens: 16}\n' > "$tmp/groundwork.yaml"
  project_saved="$project"; project="$tmp"
  run "llamacpp:stories260K.gguf (1 MB)" --model "llamacpp:$(realpath "$gguf")"
  project="$project_saved"; rm -rf "$tmp"
fi
lib=groundwork-cli/target/lib
printf "jar sizes: jtokkit %s KB, langchain4j-anthropic %s KB, langchain4j-core %s KB, llama %s KB\n" \
  $(( $(stat -c %s $lib/jtokkit-*.jar) / 1024 )) $(( $(stat -c %s $lib/langchain4j-anthropic-*.jar) / 1024 )) \
  $(( $(stat -c %s $lib/langchain4j-core-*.jar) / 1024 )) $(( $(stat -c %s $lib/llama-*.jar) / 1024 ))
