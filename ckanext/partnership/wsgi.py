# -*- coding: utf-8 -*-
"""The portal as a WSGI application, for a production server (Gunicorn).

What CKAN's own images do in their ``wsgi.py`` (the ini read by
``CKANConfigLoader``, its logging configured, ``make_app``), kept in the
package so that every machine where the extension is installed has it,
whatever its ini is called::

    CKAN_INI=/etc/ckan/ckan.ini gunicorn --workers 4 \\
        'ckanext.partnership.wsgi:make_app()'

``make_app`` is a factory: importing this module builds nothing, each
Gunicorn worker builds its own application (its own database connections)
after the fork. As with the ``ckan`` command, the ``CKAN_*`` variables
(``CKAN_SQLALCHEMY_URL``...) take precedence over the ini.
"""
from __future__ import annotations

import logging.config
import os
from typing import Any, Optional


def make_app(ini: Optional[str] = None) -> Any:
    """CKAN's application on ``ini`` (default: ``$CKAN_INI``)."""
    from ckan.cli import CKANConfigLoader
    from ckan.config.middleware import make_app as ckan_app

    path = ini or os.environ.get("CKAN_INI")
    if not path:
        raise RuntimeError("set CKAN_INI to the path of the portal's ini file")
    path = os.path.abspath(path)
    # The ini's loggers, as `ckan run` has them; Gunicorn's own (its access
    # and error logs, made before the application) are kept, not disabled.
    logging.config.fileConfig(path, disable_existing_loggers=False)
    kept = [logger for logger in logging.Logger.manager.loggerDict.values()
            if isinstance(logger, logging.Logger) and not logger.disabled]
    # CKAN 2.12's loader configures the ini's logging again, disabling
    # every logger made before it (Gunicorn's access log among them)
    config = CKANConfigLoader(path).get_config()
    for logger in kept:
        logger.disabled = False
    return ckan_app(config)
