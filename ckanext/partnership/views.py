# -*- coding: utf-8 -*-
"""The URL table: one blueprint, ``partnership``, one line per route. The
pages themselves live with their capability (``<capability>/views.py``)."""
from __future__ import annotations

from flask import Blueprint

from ckanext.partnership.access import views as access_pages
from ckanext.partnership.agreements import views as agreement_pages
from ckanext.partnership.annual_review import views as review_pages
from ckanext.partnership.compliance import views as compliance_pages
from ckanext.partnership.discussions import views as discussion_pages
from ckanext.partnership.metadata import views as metadata_pages
from ckanext.partnership.publication import views as publication_pages
from ckanext.partnership.resource_checks import views as check_pages

partnership = Blueprint("partnership", __name__)

partnership.add_url_rule("/dataset/<id>/comments", view_func=discussion_pages.comment_new, methods=["POST"])
partnership.add_url_rule("/dataset/<id>/contact", view_func=discussion_pages.contact, methods=["GET", "POST"],
                         endpoint="dataset_contact", defaults={"kind": "dataset"})
partnership.add_url_rule("/organization/contact/<id>", view_func=discussion_pages.contact,
                         methods=["GET", "POST"], endpoint="organization_contact",
                         defaults={"kind": "organization"})
partnership.add_url_rule("/partnership/threads", view_func=discussion_pages.threads)
partnership.add_url_rule("/partnership/threads/<thread_id>/close", view_func=discussion_pages.thread_close,
                         methods=["POST"])
partnership.add_url_rule("/partnership/threads/<thread_id>/answered",
                         view_func=discussion_pages.thread_answered, methods=["POST"])
partnership.add_url_rule("/partnership/threads/<thread_id>/reply",
                         view_func=discussion_pages.thread_reply, methods=["POST"])
partnership.add_url_rule("/partnership/response-stats", view_func=discussion_pages.response_stats)
partnership.add_url_rule("/partnership/dashboard", view_func=publication_pages.dashboard)
partnership.add_url_rule("/partnership/queue", view_func=publication_pages.queue)
partnership.add_url_rule("/partnership/queue/<request_id>/decide", view_func=publication_pages.decide,
                         methods=["POST"])
partnership.add_url_rule("/partnership/publication-stats", view_func=publication_pages.publication_stats)
partnership.add_url_rule("/dataset/<id>/publication", view_func=publication_pages.dataset_publication)
partnership.add_url_rule("/dataset/<id>/publication/submit", view_func=publication_pages.submit,
                         methods=["POST"])
partnership.add_url_rule("/dataset/<id>/publication/<request_id>/cancel", view_func=publication_pages.cancel,
                         methods=["POST"])
partnership.add_url_rule("/dataset/<id>/publication/unpublish", view_func=publication_pages.unpublish,
                         methods=["POST"])
partnership.add_url_rule("/dataset/<id>/resource/<resource_id>/checks",
                         view_func=check_pages.resource_checks)
partnership.add_url_rule("/dataset/<id>/resource/<resource_id>/schema.json",
                         view_func=metadata_pages.resource_table_schema)
partnership.add_url_rule("/dataset/<id>/resource/<resource_id>/checks/run",
                         view_func=check_pages.resource_checks_run, methods=["POST"])
partnership.add_url_rule("/dataset/<id>/label", view_func=compliance_pages.label,
                         endpoint="dataset_label")
partnership.add_url_rule("/dataset/<id>/label/declare", view_func=compliance_pages.label_declare,
                         methods=["POST"])
partnership.add_url_rule("/partnership/agreements", view_func=agreement_pages.index)
partnership.add_url_rule("/partnership/agreements/new", view_func=agreement_pages.edit,
                         methods=["GET", "POST"], endpoint="new")
partnership.add_url_rule("/partnership/agreements/<id>", view_func=agreement_pages.read)
partnership.add_url_rule("/partnership/agreements/<id>/edit", view_func=agreement_pages.edit,
                         methods=["GET", "POST"])
partnership.add_url_rule("/partnership/agreements/<id>/amendments", view_func=agreement_pages.amendment_new,
                         methods=["POST"])
partnership.add_url_rule("/partnership/agreements/<id>/documents", view_func=agreement_pages.document_new,
                         methods=["POST"])
partnership.add_url_rule("/partnership/agreements/<id>/documents/<document_id>",
                         view_func=agreement_pages.document)
partnership.add_url_rule("/partnership/agreements/<id>/planned", view_func=agreement_pages.planned_new,
                         methods=["POST"])
partnership.add_url_rule("/partnership/agreements/<id>/meetings", view_func=agreement_pages.meeting_new,
                         methods=["POST"])
partnership.add_url_rule("/partnership/agreements/<id>/terminate", view_func=agreement_pages.terminate,
                         methods=["POST"])
partnership.add_url_rule("/organization/agreement/<id>", view_func=agreement_pages.organization_agreement)
partnership.add_url_rule("/organization/compliance/<id>", view_func=compliance_pages.organization_compliance)
partnership.add_url_rule("/partnership/compliance", view_func=compliance_pages.partners, endpoint="compliance")
partnership.add_url_rule("/partnership/compliance.csv", view_func=compliance_pages.partners_csv,
                         endpoint="compliance_csv")
partnership.add_url_rule("/partnership/review/<int:year>", view_func=review_pages.review,
                         endpoint="portal_review")
partnership.add_url_rule("/partnership/review/<int:year>.<fmt>", view_func=review_pages.export,
                         endpoint="portal_review_export")
partnership.add_url_rule("/partnership/review/<organization>/<int:year>", view_func=review_pages.review,
                         endpoint="annual_review")
partnership.add_url_rule("/partnership/review/<organization>/<int:year>.<fmt>",
                         view_func=review_pages.export, endpoint="annual_review_export")
partnership.add_url_rule("/dataset/<id>/access", view_func=access_pages.manage, endpoint="dataset_access")
partnership.add_url_rule("/dataset/<id>/access/request", view_func=access_pages.request_form,
                         methods=["GET", "POST"], endpoint="access_request")
partnership.add_url_rule("/dataset/<id>/access/grants", view_func=access_pages.grants,
                         methods=["GET", "POST"], endpoint="access_grants")
partnership.add_url_rule("/dataset/<id>/access/downloads", view_func=access_pages.downloads,
                         endpoint="access_downloads")
partnership.add_url_rule("/partnership/access/requests/<request_id>/decide", view_func=access_pages.decide,
                         methods=["POST"], endpoint="access_decide")
partnership.add_url_rule("/partnership/access/grants/<grant_id>/revoke", view_func=access_pages.revoke,
                         methods=["POST"], endpoint="access_revoke")


__all__ = ["partnership"]


