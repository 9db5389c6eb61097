# One image for every role: the role is chosen at run time (MC_ROLES=alert, or --roles alert).
#   docker build -t mission-control .
#   docker run --rm -e MC_ROLES=status -e MC_DB_URL=... -p 8080:8080 mission-control

# ---- build: dependencies first (a layer that only changes with the poms), then the sources ----
FROM maven:3.9.11-eclipse-temurin-17 AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY mission-common/pom.xml mission-common/
COPY mission-runtime/pom.xml mission-runtime/
COPY mission-testkit/pom.xml mission-testkit/
COPY status-verticle/pom.xml status-verticle/
COPY monitor-verticle/pom.xml monitor-verticle/
COPY alert-verticle/pom.xml alert-verticle/
COPY backup-verticle/pom.xml backup-verticle/
COPY mission-control/pom.xml mission-control/
COPY ops/aws/pom.xml ops/aws/
# our own modules are not built yet: resolve everything but them (and not the CDK app, not in the image)
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q dependency:go-offline -DexcludeGroupIds=space.mission -DskipTests -pl mission-control -am
COPY . .
# the tests need MariaDB, S3Proxy and fauxqs: they run in CI (.ci/run), not in the image build
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -o package -DskipTests -pl mission-control -am \
 && cp mission-control/target/mission-control.jar /mission-control.jar

# ---- runtime: a JRE, curl for the health check, a non-root user ----
FROM eclipse-temurin:17.0.16_8-jre-jammy
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 mission \
 && useradd --system --uid 10001 --gid mission --home-dir /var/lib/mission --create-home mission
COPY --from=build /mission-control.jar /opt/mission-control/mission-control.jar
COPY ops/container/healthcheck.sh /opt/mission-control/healthcheck.sh
COPY ops/container/train-class-data.sh /opt/mission-control/train-class-data.sh
# Class data of a training start (every role, an embedded MariaDB, a client's first requests), made on
# this image's own JVM and mapped by every start: about 1 s less to ready (BENCHMARKS.md)
RUN ["/opt/mission-control/train-class-data.sh", "/opt/mission-control/mission-control.jar", "/opt/mission-control/mission-control.jsa"]
USER mission
WORKDIR /var/lib/mission
# Container-sized JVM: heap from the container's memory limit, a fast exit on OOM (the orchestrator
# restarts it), IPv4 for Hazelcast. Members join the cluster over the compose network.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70 -XX:InitialRAMPercentage=25 -XX:+ExitOnOutOfMemoryError -Djava.net.preferIPv4Stack=true" \
    MC_DATA_DIR=/var/lib/mission/data \
    MC_CLUSTER_ENABLED=true \
    MC_LOG_FORMAT=json
# spools, local logs and (for the backup role) local backups survive a container restart
VOLUME ["/var/lib/mission/data"]
# 8080 status API, 9090 health and metrics of the other roles, 5701 Hazelcast, 5702+ the event bus
EXPOSE 8080 9090 5701
HEALTHCHECK --interval=10s --timeout=4s --start-period=60s --retries=3 CMD ["/opt/mission-control/healthcheck.sh"]
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/opt/mission-control/mission-control.jsa", "-jar", "/opt/mission-control/mission-control.jar"]
