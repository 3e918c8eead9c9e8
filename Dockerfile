FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends procps && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .
RUN STA_SECRET_KEY=build-only-not-a-runtime-secret-0123456789abcdefghijklmnop \
    STA_ALLOWED_HOSTS=build python manage.py collectstatic --no-input
RUN useradd --create-home sta && mkdir -p /data/media /data/static && chown sta /data/media /data/static
USER sta
EXPOSE 8000
