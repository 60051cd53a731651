"""Check the run-launcher deploy files against the launchers' own config schemas, without a
Docker daemon or a Kubernetes cluster (docs/deploy.md, "Runs on other machines"):

- ``deploy/dagster-docker.yaml`` is loaded as a Dagster instance: every block is validated against
  its class's schema, the ``DockerRunLauncher`` and the ``QueuedRunCoordinator`` are built;
- the ``runLauncher`` section of ``deploy/helm/values.yaml`` is turned into the config the chart
  gives the ``K8sRunLauncher`` and validated against that class's schema (the chart itself, and its
  ``values.schema.json``, are not available offline).

It needs the launchers, not Thread, in a scratch virtualenv, and an empty Postgres database for
the instance's storage (its tables are created there)::

    python3.11 -m venv /tmp/launchers && /tmp/launchers/bin/pip install 'dagster==1.13.27' \\
        'dagster-postgres==0.29.27' 'dagster-docker==0.29.27' 'dagster-k8s==0.29.27' pyyaml
    createdb launchers_check
    /tmp/launchers/bin/python deploy/check_launchers.py postgresql+psycopg2://postgres@127.0.0.1:5432/launchers_check
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import yaml
from dagster import DagsterInstance
from dagster._config import process_config
from dagster_docker import DockerRunLauncher
from dagster_k8s import K8sRunLauncher

DEPLOY = Path(__file__).resolve().parent


def check_docker(pg_url: str) -> None:
    home = Path(tempfile.mkdtemp())
    shutil.copy(DEPLOY / "dagster-docker.yaml", home / "dagster.yaml")
    os.environ["DAGSTER_PG_URL"] = pg_url
    os.environ.setdefault("THREAD_RUN_IMAGE", "registry.example.com/thread:1.0.0")
    with DagsterInstance.from_config(str(home)) as instance:
        launcher = instance.run_launcher
        assert isinstance(launcher, DockerRunLauncher), type(launcher)
        limit = instance.run_coordinator.get_run_queue_config().max_concurrent_runs  # type: ignore[attr-defined]
        print(f"dagster-docker.yaml: {type(launcher).__name__} image {launcher.image}, env {launcher.env_vars}")
        print(f"  {type(instance.run_coordinator).__name__} max_concurrent_runs {limit}")
        print(f"  run monitoring {instance.run_monitoring_enabled}")
    shutil.rmtree(home)


def check_k8s() -> None:
    values = yaml.safe_load((DEPLOY / "helm" / "values.yaml").read_text())
    assert values["runLauncher"]["type"] == "K8sRunLauncher"
    k8s = values["runLauncher"]["config"]["k8sRunLauncher"]
    # as the chart's instance template renders them (the names it fills in are its release's)
    config = {
        "image_pull_policy": k8s["imagePullPolicy"],
        "load_incluster_config": k8s["loadInclusterConfig"],
        "env_config_maps": k8s["envConfigMaps"],
        "env_secrets": k8s["envSecrets"],
        "env_vars": k8s["envVars"],
        "volume_mounts": k8s["volumeMounts"],
        "volumes": k8s["volumes"],
        "run_k8s_config": {"container_config": k8s["runK8sConfig"]["containerConfig"]},
        "instance_config_map": "thread-dagster-instance",
        "service_account_name": "thread-dagster",
        "postgres_password_secret": "dagster-postgresql-secret",
        "dagster_home": "/opt/dagster/dagster_home",
    }
    result = process_config(K8sRunLauncher.config_type(), config)
    assert result.success, result.errors
    print("helm/values.yaml: the K8sRunLauncher accepts its runLauncher section")


if __name__ == "__main__":
    check_docker(sys.argv[1])
    check_k8s()
