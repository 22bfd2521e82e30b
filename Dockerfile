# The probewatch container image, built from source (the release builds this for linux/amd64
# and linux/arm64 and pushes it to ghcr.io; users never build it, see docs/action.md).
#   build    Debian's -dev packages compile the binary (yaml-cpp and PCRE2 linked statically).
#   runtime  Debian with the binary's shared libraries lays out /rootfs (scripts/image-rootfs):
#            the binary, the libraries it loads and the loader, the CA bundle, nsswitch.conf
#            and the copyright files of the packages those came from. Nothing else: no shell.
#   final    FROM scratch with /rootfs. GitHub runs container actions as root with the
#            workspace mounted at /github/workspace, so there is no USER.
# scripts/container-test packages a binary the test suite already built: it keeps everything
# from the runtime stage on and replaces the build stage with one that copies the binary in.
#
#   ../shared/tools/container-build build .      # here, without a Docker engine
#   docker build -t probewatch .                 # anywhere else (BuildKit: RUN --mount)

FROM debian:bookworm AS build
ARG JOBS=2
# ON in CI and the release: the image's own build (-O3) is warning-free too.
ARG WERROR=OFF
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends \
      cmake ninja-build g++ pkg-config ccache \
      libcpp-httplib-dev libssl-dev zlib1g-dev libbrotli-dev nlohmann-json3-dev \
      libfmt-dev libyaml-cpp-dev libcli11-dev libpcre2-dev >/dev/null
WORKDIR /src
COPY CMakeLists.txt ./
COPY cmake/ cmake/
COPY base/ base/
COPY github_client/ github_client/
COPY bot/ bot/
COPY templates/ templates/
COPY examples/ examples/
# The compiler cache outlives the build (a cache mount): a rebuild after a small change
# recompiles only what changed.
RUN --mount=type=cache,target=/root/.cache/ccache \
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DPROBEWATCH_TESTS=OFF -DPROBEWATCH_STATIC_RUNTIME=ON -DPROBEWATCH_WERROR="$WERROR" >/dev/null \
 && cmake --build build --target probewatch -j "$JOBS" \
 && cmake --install build --prefix /out --strip >/dev/null \
 && /out/bin/probewatch --version

FROM debian:bookworm-slim AS runtime
# The shared libraries a PROBEWATCH_STATIC_RUNTIME=ON or default build loads (image-rootfs
# copies only those ldd names), the CA bundle, and the tz database for maintenance windows.
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      ca-certificates tzdata libcpp-httplib0.11 libssl3 libfmt9 libbrotli1 zlib1g \
      libyaml-cpp0.7 libpcre2-8-0 >/dev/null
COPY scripts/image-rootfs /usr/local/bin/image-rootfs
COPY --from=build /out/bin/probewatch /probewatch
RUN image-rootfs /probewatch /rootfs

FROM scratch
# Set by the release workflow (.github/workflows/release.yml).
ARG VERSION=dev
ARG SOURCE=""
# The project's own license is not chosen yet; the libraries' licenses are in /usr/share/doc.
ARG LICENSES=NOASSERTION
LABEL org.opencontainers.image.title="probewatch" \
      org.opencontainers.image.description="Probes HTTP(S) endpoints and keeps exactly one GitHub issue per failing check" \
      org.opencontainers.image.version="$VERSION" \
      org.opencontainers.image.source="$SOURCE" \
      org.opencontainers.image.licenses="$LICENSES"
COPY --from=runtime /rootfs/ /
ENV PATH=/usr/local/bin SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
WORKDIR /github/workspace
ENTRYPOINT ["/usr/local/bin/probewatch"]
CMD ["action"]
