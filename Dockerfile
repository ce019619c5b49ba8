# adcraft API / worker image (CPU). GPU workers: build FROM a CUDA base and add the diffusion extra.
FROM python:3.11-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libfribidi0 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install --no-cache-dir '.[server,llm,bank,cutout]'
ENV ADCRAFT_ENVIRONMENT=production ADCRAFT_SERVER__HOST=0.0.0.0
EXPOSE 8000
CMD ["adcraft", "serve"]
