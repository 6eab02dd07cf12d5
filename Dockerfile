FROM python:3.12-slim-bookworm

# WeasyPrint needs Pango; curl serves the healthcheck; pg_dump/pg_restore (15, as the
# database) serve `manage.py backup_create` / `backup_restore`.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 curl postgresql-client-15 \
 && rm -rf /var/lib/apt/lists/*

# PROMETHEUS_MULTIPROC_DIR: /metrics adds up every gunicorn worker (gunicorn.conf.py).
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
RUN DEBUG=0 SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput -v0

RUN useradd --system --uid 1000 app && mkdir -p /app/media /app/backups && chown app /app/media /app/backups
USER app
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py load_malbild && gunicorn config.wsgi --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3}"]
