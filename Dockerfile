# Build with Maven, run on a JRE 17 as a non-root user, with config/ and intents/ in the image,
# and what the shipped intents run besides the JVM: helm (update-helm-chart's helm.* steps) and
# pg_dump (sql.dump, the backup before a PostgreSQL migration).
#
# helm comes from the helm image as a build stage: alpine-docker/helm's Dockerfile unpacks the
# official release tarball (get.helm.sh) and moves the binary to /usr/bin/helm. Helm's release
# builds are static (CGO_ENABLED=0), so the binary runs on this Ubuntu-based JRE image as well.
FROM alpine/helm:3.17.3 AS helm

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -DskipTests package

FROM eclipse-temurin:17-jre
# pg_dump from the distribution (PostgreSQL 16's on Ubuntu 24.04): it dumps servers up to its own
# major version; for a newer server install its client and set pg_dump.binary in the config.
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 intentbot \
 && useradd --system --uid 10001 --gid intentbot --home-dir /app --shell /usr/sbin/nologin intentbot
WORKDIR /app
COPY --from=build /src/bot/target/intentbot.jar /app/intentbot.jar
COPY --from=helm /usr/bin/helm /usr/local/bin/helm
COPY config/ /app/config/
COPY intents/ /app/intents/
# The class archive (config/class-archive), made with this image's JVM from a start of serve on the
# shipped config; every start maps it. A serve that cannot start here fails the build.
RUN /app/config/class-archive /app/intentbot.jar /app/intentbot.jsa
RUN mkdir -p /app/data && chown -R intentbot:intentbot /app/data
USER 10001:10001
ENV INTENTBOT_CONFIG=/app/config/intentbot.yaml \
    INTENTBOT_INTENTS=/app/intents \
    INTENTBOT_PORT=3000 \
    MALLOC_ARENA_MAX=2 \
    HELM_CACHE_HOME=/tmp/helm/cache \
    HELM_CONFIG_HOME=/tmp/helm/config \
    HELM_DATA_HOME=/tmp/helm/data \
    KUBECACHEDIR=/tmp/kube-cache
EXPOSE 3000
VOLUME ["/app/data"]
HEALTHCHECK --interval=30s --timeout=3s CMD ["sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/3000 && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["java", "@/app/config/jvm.options", "-XX:SharedArchiveFile=/app/intentbot.jsa", "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-jar", "/app/intentbot.jar"]
CMD ["serve"]
