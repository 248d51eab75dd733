# The Airflow image docker-compose.yml builds: the official Airflow 3.3.2 image plus the newsmon library.
FROM apache/airflow:3.3.2-python3.11

COPY --chown=airflow:0 pyproject.toml README.md /opt/newsmon/
COPY --chown=airflow:0 newsmon /opt/newsmon/newsmon
COPY --chown=airflow:0 extractors /opt/newsmon/extractors
# Pin Airflow to the image's own version so pip never replaces it.
RUN pip install --no-cache-dir "apache-airflow==3.3.2" /opt/newsmon
