#!/usr/bin/env bash
# Cold start of the evaluator through the real Lambda runtime interface client, next to a hello-world handler
# measured in the same run (the floor): median of RUNS fresh JVMs, init and first invoke separately, RSS and classes
# loaded after the first event. Needs moto_server on the PATH. A measurement, never a test.
# Usage: bench/cold-start.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
mvn -B -q -o package -DskipTests -f functions/pom.xml
mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test \
  -pl tests -am > /dev/null
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src/example"
cat > "$work/src/example/Hello.java" <<'JAVA'
package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.InputStream;
import java.io.OutputStream;

public final class Hello implements RequestStreamHandler {
    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws java.io.IOException {
        in.readAllBytes();
        out.write("{\"hello\":\"world\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
JAVA
core=$(tr ':' '\n' < tests/target/ric.classpath | grep aws-lambda-java-core)
javac --release 17 -cp "$core" -d "$work/classes" "$work/src/example/Hello.java"
jar cf "$work/hello.jar" -C "$work/classes" .
cd tests
java -cp "target/test-classes:$(cat target/test.classpath)" -Dproject.root=.. \
  -Dguardrail.lambda.jar=../functions/target/iam-guardrail-lambda.jar -Dric.classpath.file=target/ric.classpath \
  io.iamguardrail.invoke.ColdStartBench "$work/hello.jar" "$runs"
