# ldap-mailcow: build with Maven on a JDK 17, run on a JRE 17 as a non-root user.
#
#   docker build -t ldap-mailcow .
#
# Layout in the image: /app/ldap-mailcow.jar with its libraries in /app/lib (the jar's manifest names them),
# /app/routes (the Camel YAML routes) and /app/templates (Dovecot and SOGo templates), both replaceable by a
# volume. State and reports go to /db, the rendered auth config to /conf/dovecot and /conf/sogo: the volumes
# the Python tool's compose file mounts. src/test/java/org/ldapmailcow/ops/ImageLayoutTest.java builds this
# layout from the COPY, ENV, WORKDIR, USER and ENTRYPOINT lines below (and the RUN that makes the class-data
# archive) and runs one cycle from it.
# IMAGE_JAVA_OPTS and MALLOC_ARENA_MAX are what docs/benchmarks.md measured: at most 300 MB resident at 50,000 users
# (the heap limit fits that size; raise -Xmx for a larger directory, see docs/operations.md). JAVA_OPTS is the
# admin's: the entrypoint passes it after the image's flags, so it adds to them (remote JMX) and, being last,
# wins where both set the same flag (-Xmx512m).
# The base images are pinned to exact versions, so a rebuild gets the JDK and the JRE it was tested with. To update:
# pick the newest tags of https://hub.docker.com/_/maven (3.9.x-eclipse-temurin-17) and
# https://hub.docker.com/_/eclipse-temurin (17.0.x_y-jre-noble), change both FROM lines, build, run the tests.
# The image carries a class-data archive of a training run (the demo, ldap-mailcow-demo.jar, which runs the real
# routes against an embedded directory and the mailcow emulator on loopback): the JVM maps the 9,000 classes a start
# loads instead of reading them from the jars, a second off every start. An archive that does not fit the JVM or the
# jars is ignored. The demo jar is mounted from the build stage for the training only: the image does not ship it.
# The training lists the classes it loads and the archive is then dumped from the service's own class path (a
# static archive): an archive dumped with the demo jar on the class path would not map in a JVM without it.

FROM maven:3.9.11-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q -Dmaven.test.skip=true package

FROM eclipse-temurin:17.0.16_8-jre-noble
RUN groupadd --system --gid 10001 ldapmailcow \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin ldapmailcow \
 && mkdir -p /db /conf/dovecot /conf/sogo \
 && chown 10001:10001 /db /conf/dovecot /conf/sogo
WORKDIR /app
COPY --from=build /build/target/lib/ /app/lib/
COPY --from=build /build/target/ldap-mailcow.jar /app/ldap-mailcow.jar
COPY routes/ /app/routes/
COPY templates/ /app/templates/
ENV LDAP_MAILCOW_DB_FILE=/db/ldap-mailcow.sqlite3 \
    LDAP_MAILCOW_CONF_DIR=/conf \
    LDAP_MAILCOW_ROUTES_DIR=/app/routes \
    LDAP_MAILCOW_TEMPLATES_DIR=/app/templates \
    LDAP_MAILCOW_MANAGEMENT_PORT=9876 \
    MALLOC_ARENA_MAX=2 \
    IMAGE_JAVA_OPTS="-Xms16m -Xmx144m -XX:MaxNewSize=24m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -XX:+ExitOnOutOfMemoryError" \
    JAVA_OPTS=""
# A training run that fails fails the build, with its output (quiet when it succeeds)
RUN --mount=type=bind,from=build,source=/build/target/ldap-mailcow-demo.jar,target=/tmp/ldap-mailcow-demo.jar \
    mkdir /tmp/training \
 && if ! java $IMAGE_JAVA_OPTS -Djava.io.tmpdir=/tmp/training -XX:DumpLoadedClassList=/tmp/training/classes.lst \
        -cp /app/ldap-mailcow.jar:/tmp/ldap-mailcow-demo.jar org.ldapmailcow.demo.DemoApplication >/tmp/training.log 2>&1 \
    || ! java $IMAGE_JAVA_OPTS -Xshare:dump -XX:SharedClassListFile=/tmp/training/classes.lst \
        -XX:SharedArchiveFile=/app/ldap-mailcow.jsa -cp /app/ldap-mailcow.jar >>/tmp/training.log 2>&1; \
    then cat /tmp/training.log; echo "class-data training run (ldap-mailcow-demo.jar) failed, output above" >&2; exit 1; fi \
 && rm -rf /tmp/training /tmp/training.log
VOLUME ["/db", "/conf/dovecot", "/conf/sogo"]
EXPOSE 9876
USER 10001:10001
# The probe uses the JDK's HTTP client only; neither IMAGE_JAVA_OPTS nor JAVA_OPTS (where JMX flags go) applies to it.
HEALTHCHECK --interval=60s --timeout=15s --start-period=180s --retries=3 \
    CMD ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx32m", "-cp", "/app/ldap-mailcow.jar", "org.ldapmailcow.ops.HealthProbe"]
ENTRYPOINT ["sh", "-c", "exec java $IMAGE_JAVA_OPTS $JAVA_OPTS -XX:SharedArchiveFile=/app/ldap-mailcow.jsa -jar /app/ldap-mailcow.jar \"$@\"", "ldap-mailcow"]
CMD []
