"""Who may see the monitor: a user of this Airflow, checked by Airflow's own auth manager.

Airflow mounts a plugin's FastAPI app without any of its authentication, so the monitor checks every request
itself, exactly as Airflow's UI routes do: the JWT comes from ``Authorization: Bearer …`` (scripts: get one
from ``POST /auth/token``) or else from the ``_token`` cookie the Airflow UI sets at login, and the user must be
allowed to see the Airflow website (``AccessView.WEBSITE``, which every Airflow UI user has).

Airflow is imported on the first request, not when the plugin loads: the task runner loads plugins (for macros)
in every task, and the API server's security module takes seconds to import.
"""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, Request, status

__all__ = ["airflow_user", "login_url"]


async def airflow_user(request: Request) -> Any:
    """The Airflow user making ``request``: 401 without credentials or with an expired token, 403 with an
    invalid token or for a user who may not see the Airflow website."""
    from airflow.api_fastapi.app import get_auth_manager
    from airflow.api_fastapi.auth.managers.models.resource_details import AccessView
    from airflow.api_fastapi.core_api.security import bearer_scheme, get_user

    credentials = await bearer_scheme(request)
    user = await get_user(request=request, bearer_credentials=credentials)
    if not get_auth_manager().is_authorized_view(access_view=AccessView.WEBSITE, user=user):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Forbidden: this Airflow user may not see the Airflow UI")
    return user


def login_url(request: Request) -> str:
    """The auth manager's login page, coming back to ``request``'s URL afterwards."""
    from airflow.api_fastapi.app import get_auth_manager

    return get_auth_manager().get_url_login(next_url=str(request.url))
