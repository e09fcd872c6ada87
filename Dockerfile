# groupvisit: one server process, its SQLite database in the /data volume.
#   docker build -t groupvisit .
#   docker run -p 8000:8000 -v groupvisit-data:/data -e GROUPVISIT_PUBLIC_URL=https://visits.example.org groupvisit
# Then give each staff member their own account (the password is asked for):
#   docker exec -it CONTAINER groupvisit user add alex --name "Nurse Alex Rivera" --role facilitator
# After moving to a newer image, bring the database's schema up to it before serving (the server refuses
# an outdated one and says so):
#   docker run --rm -v groupvisit-data:/data groupvisit groupvisit db upgrade

# Build a wheel from the copied source, so the final image holds no source tree or build tools.
FROM python:3.11-slim AS build
WORKDIR /src
COPY . .
RUN pip wheel --no-cache-dir --disable-pip-version-check --no-deps --wheel-dir /wheels .

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    GROUPVISIT_DB=/data/groupvisit.db

# The runtime dependencies only (no [test] extra).
COPY --from=build /wheels /tmp/wheels
RUN pip install /tmp/wheels/*.whl && rm -rf /tmp/wheels

RUN groupadd --system --gid 10001 groupvisit \
    && useradd --system --uid 10001 --gid groupvisit --home-dir /data --shell /usr/sbin/nologin groupvisit \
    && mkdir -p /data \
    && chown groupvisit:groupvisit /data

# Declared after the chown, so a new volume starts out owned by the app's user.
VOLUME ["/data"]
WORKDIR /data
USER groupvisit

EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

CMD ["groupvisit", "serve", "--host", "0.0.0.0", "--port", "8000"]
