#!/usr/bin/env bash
# What structured logging and tracing would cost a function's first invoke, in fresh JVMs set up as Lambda's (C1 only,
# serial GC), alternating: the guardrail's own log writer (telemetry/FunctionLog) next to Powertools Logging 2.9.0
# (log4j2 with its JSON template layout, the supported setup) writing the same decision line, and the X-Ray SDK
# 2.18.2's recorder with two subsegments (what annotating the IAM, SNS and Slack calls needs). Prints the median of
# RUNS for the logger's set-up, the first line and the second, and the size of the jars each adds to the package.
# Resolves Powertools and the X-Ray SDK from Maven Central into a scratch project. A measurement, never a test.
# Usage: bench/observability.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-9}
root=$PWD
[ -d functions/target/classes/io/iamguardrail/telemetry ] || mvn -B -q -f functions/pom.xml compile
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src/b" "$work/classes"
cat > "$work/pom.xml" <<'POM'
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId><artifactId>observability</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>software.amazon.lambda</groupId><artifactId>powertools-logging-log4j</artifactId><version>2.9.0</version></dependency>
    <dependency><groupId>com.amazonaws</groupId><artifactId>aws-xray-recorder-sdk-core</artifactId><version>2.18.2</version></dependency>
    <dependency><groupId>com.amazonaws</groupId><artifactId>aws-xray-recorder-sdk-aws-sdk-v2</artifactId><version>2.18.2</version></dependency>
  </dependencies>
</project>
POM
cat > "$work/classes/log4j2.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<Configuration>
  <Appenders>
    <Console name="JsonAppender" target="SYSTEM_OUT">
      <JsonTemplateLayout eventTemplateUri="classpath:LambdaJsonLayout.json"/>
    </Console>
  </Appenders>
  <Loggers><Root level="info"><AppenderRef ref="JsonAppender"/></Root></Loggers>
</Configuration>
XML
cat > "$work/src/b/Ctx.java" <<'JAVA'
package b;
import com.amazonaws.services.lambda.runtime.*;
public final class Ctx implements Context {
  public String getAwsRequestId() { return "c6af9ac6-7b61-11e6-9a41-93e812345678"; }
  public String getLogGroupName() { return "/aws/lambda/guardrail-evaluator"; }
  public String getLogStreamName() { return "2026/12/07/[1]abc"; }
  public String getFunctionName() { return "guardrail-evaluator"; }
  public String getFunctionVersion() { return "1"; }
  public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:guardrail-evaluator"; }
  public CognitoIdentity getIdentity() { return null; }
  public ClientContext getClientContext() { return null; }
  public int getRemainingTimeInMillis() { return 60000; }
  public int getMemoryLimitInMB() { return 1024; }
  public LambdaLogger getLogger() { return null; }
}
JAVA
cat > "$work/src/b/Powertools.java" <<'JAVA'
package b;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;
public final class Powertools {
  public static void main(String[] a) {
    long t0 = System.nanoTime();
    Logger log = LoggerFactory.getLogger(Powertools.class);
    long t1 = System.nanoTime();
    PowertoolsLogging.withLogging(new Ctx(), () -> { log.info("decision", entry("verdict", "ALERT"),
        entry("eventName", "PutRolePolicy"), entry("account", "123456789012"), entry("ruleIds", "ADMIN_ACCESS")); return null; });
    long t2 = System.nanoTime();
    PowertoolsLogging.withLogging(new Ctx(), () -> { log.info("decision", entry("verdict", "NO_ALERT")); return null; });
    long t3 = System.nanoTime();
    System.err.printf("%d %d %d%n", (t1 - t0) / 1000, (t2 - t1) / 1000, (t3 - t2) / 1000);
  }
}
JAVA
cat > "$work/src/b/Own.java" <<'JAVA'
package b;
import io.iamguardrail.telemetry.FunctionLog;
import io.iamguardrail.telemetry.Invocations;
import io.iamguardrail.telemetry.LogLevel;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
public final class Own {
  public static void main(String[] a) {
    long t0 = System.nanoTime();
    FunctionLog log = new FunctionLog("evaluator", Map.of("AWS_LAMBDA_FUNCTION_NAME", "guardrail-evaluator"), System.out,
        Clock.systemUTC(), new Invocations(() -> Optional.of("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1")));
    long t1 = System.nanoTime();
    log.begin("c6af9ac6-7b61-11e6-9a41-93e812345678");
    log.log(LogLevel.INFO, "decision", g -> { g.writeStringField("verdict", "ALERT");
        g.writeStringField("eventName", "PutRolePolicy"); g.writeStringField("account", "123456789012");
        g.writeStringField("ruleIds", "ADMIN_ACCESS"); });
    long t2 = System.nanoTime();
    log.begin("d6af9ac6-7b61-11e6-9a41-93e812345678");
    log.log(LogLevel.INFO, "decision", g -> g.writeStringField("verdict", "NO_ALERT"));
    long t3 = System.nanoTime();
    System.err.printf("%d %d %d%n", (t1 - t0) / 1000, (t2 - t1) / 1000, (t3 - t2) / 1000);
  }
}
JAVA
cat > "$work/src/b/Xray.java" <<'JAVA'
package b;
import com.amazonaws.xray.AWSXRay;
public final class Xray {
  public static void main(String[] a) {
    long t0 = System.nanoTime();
    AWSXRay.getGlobalRecorder();
    long t1 = System.nanoTime();
    AWSXRay.beginSubsegment("IAM").putAnnotation("operation", "GetRolePolicy");
    AWSXRay.endSubsegment();
    long t2 = System.nanoTime();
    AWSXRay.beginSubsegment("SNS");
    AWSXRay.endSubsegment();
    long t3 = System.nanoTime();
    System.err.printf("%d %d %d%n", (t1 - t0) / 1000, (t2 - t1) / 1000, (t3 - t2) / 1000);
  }
}
JAVA
(cd "$work" && mvn -B -q dependency:build-classpath -Dmdep.outputFile=cp.txt > /dev/null)
deps=$(cat "$work/cp.txt")
# The project's own Jackson first, as in the shipped jar (the X-Ray SDK's older one would not load with it).
ours=$(cd functions && mvn -B -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=runtime)
javac --release 17 -nowarn -cp "$root/functions/target/classes:$ours:$deps" -d "$work/classes" "$work"/src/b/*.java
cp="$work/classes:$root/functions/target/classes:$ours:$deps"
# Powertools runs without the function's slf4j-nop: SLF4J would pick it and log4j would never be set up.
ptcp="$work/classes:$(tr ':' '\n' <<< "$ours" | grep -v slf4j-nop | paste -sd:):$deps"
jvm=(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$cp")
ptjvm=(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$ptcp")
for v in Own Powertools; do
  runner=("${jvm[@]}"); [ "$v" = Powertools ] && runner=("${ptjvm[@]}")
  "${runner[@]}" "b.$v" 2> /dev/null | grep -q '"message":"decision".*"function_request_id"' \
    || { echo "observability.sh: the $v variant wrote no decision line with a request id" >&2; exit 1; }
done
declare -A results
for _ in $(seq "$runs"); do
  results[own]+="$("${jvm[@]}" b.Own 2>&1 > /dev/null | tail -1)"$'\n'
  results[powertools]+="$("${ptjvm[@]}" b.Powertools 2>&1 > /dev/null | tail -1)"$'\n'
  results[xray]+="$(LAMBDA_TASK_ROOT=/tmp AWS_LAMBDA_FUNCTION_NAME=guardrail-evaluator \
    _X_AMZN_TRACE_ID='Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1' \
    "${jvm[@]}" b.Xray 2>&1 > /dev/null | tail -1)"$'\n'
done
median() { sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)] / 1000}'; }
col() { printf '%s' "${results[$1]}" | awk -v c="$2" 'NF == 3 {print $c}' | median; }
# Bytes of the jars a variant adds that the function does not already ship.
added() {
  local total=0 j
  for j in $(tr ':' '\n' <<< "$deps" | grep -E "$1"); do
    tr ':' '\n' <<< "$ours" | grep -q "/$(basename "$j")$" || total=$((total + $(stat -c %s "$j")))
  done
  awk -v b="$total" 'BEGIN { printf "%.1f MB", b / 1048576 }'
}
echo "medians of $runs fresh JVMs (C1, serial GC), ms; load average $(cut -d' ' -f1 /proc/loadavg)"
printf '%-34s %12s %12s %12s %14s\n' "" "set-up" "first line" "second line" "jars added"
printf '%-34s %12s %12s %12s %14s\n' "own writer (telemetry/FunctionLog)" "$(col own 1)" "$(col own 2)" "$(col own 3)" "0"
printf '%-34s %12s %12s %12s %14s\n' "Powertools Logging 2.9.0 (log4j2)" "$(col powertools 1)" "$(col powertools 2)" \
  "$(col powertools 3)" "$(added 'powertools-(logging|serialization)|log4j|jmespath|joda|aws-lambda-java-events|slf4j-api-2|commons-lang3|jackson-datatype')"
printf '%-34s %12s %12s %12s %14s\n' "X-Ray SDK 2.18.2 (2 subsegments)" "$(col xray 1)" "$(col xray 2)" "$(col xray 3)" \
  "$(added 'xray|aws-java-sdk|commons-logging|commons-codec|httpclient|httpcore|cbor|joda|jmespath-java')"
