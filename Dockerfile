# The probewatch container action. Two stages: Debian's -dev packages build the binary;
# the runtime image is bookworm-slim with only the shared libraries it links, plus CA
# certificates for probing https:// endpoints. GitHub runs container actions as root with
# the workspace mounted at /github/workspace, so there is no USER.
#
#   ../shared/tools/container-build build .      # here, without a Docker engine
#   docker build -t probewatch .                 # anywhere else (BuildKit: RUN --mount)

FROM debian:bookworm AS build
ARG JOBS=2
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends \
      cmake ninja-build g++ pkg-config ccache \
      libcpp-httplib-dev libssl-dev zlib1g-dev libbrotli-dev nlohmann-json3-dev \
      libfmt-dev libyaml-cpp-dev libcli11-dev libpcre2-dev >/dev/null
WORKDIR /src
COPY CMakeLists.txt ./
COPY cmake/ cmake/
COPY github_client/ github_client/
COPY bot/ bot/
COPY templates/ templates/
COPY examples/ examples/
# The compiler cache outlives the build (a cache mount): a rebuild after a small change
# recompiles only what changed.
RUN --mount=type=cache,target=/root/.cache/ccache \
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DPROBEWATCH_TESTS=OFF -DPROBEWATCH_WERROR=OFF >/dev/null \
 && cmake --build build --target probewatch -j "$JOBS" \
 && strip --strip-all -o /usr/local/bin/probewatch build/bot/probewatch \
 && /usr/local/bin/probewatch --version

FROM debian:bookworm-slim
# Only the runtime libraries of the binary (ldd build/bot/probewatch); libstdc++, zlib and
# PCRE2 are already in the base image.
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      ca-certificates libcpp-httplib0.11 libssl3 libyaml-cpp0.7 libfmt9 libpcre2-8-0 \
      libbrotli1 zlib1g >/dev/null \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/log/apt /var/log/dpkg.log
COPY --from=build /usr/local/bin/probewatch /usr/local/bin/probewatch
RUN probewatch --version
WORKDIR /github/workspace
ENTRYPOINT ["/usr/local/bin/probewatch"]
CMD ["action"]
