# The image for web (gunicorn), the Celery worker and beat; see docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Pillow's wheel shapes text with its bundled libraqm, which loads FriBiDi from the system: without
# it the letters' Arabic, Urdu and Farsi taglines would be drawn unjoined (priorauth/letters/fonts.py).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libfribidi0 \
    && rm -rf /var/lib/apt/lists/*

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# collectstatic needs settings to import; this key is used for nothing else.
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && useradd --create-home --uid 10001 app \
    && mkdir -p /app/var/uploads \
    && chown -R app:app /app/var

USER app
EXPOSE 8000
CMD ["gunicorn", "priorauth.wsgi", "--bind=0.0.0.0:8000", "--workers=3", "--access-logfile=-"]
