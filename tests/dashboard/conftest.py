# -*- coding: utf-8 -*-
"""The dashboard's fixture: something of each kind waiting."""
from __future__ import annotations

import pytest

from tests.dashboard.work import draft, overdue
from tests.logic.test_comments import comment
from tests.logic.test_publication import add_personal_file, dataset, decide, submit


@pytest.fixture
def work(people, public_dataset):
    """Something of each kind waiting, in the partner's organisation: a
    dataset ready to submit, a pending request, a refused one, an overdue
    question, a flagged published dataset; and a draft of the other partner."""
    ready = draft(people)
    incomplete = draft(people, license_id="", theme=[])  # not complete: not to submit
    pending = dataset(people)
    request = submit(pending)
    refused = dataset(people)
    decide(submit(refused), decision="refuse", reasons=["metadata"],
           message="Précisez la couverture temporelle.")
    question = comment(public_dataset, "citoyen", "Quelle est la source ?")
    overdue(question["thread_id"])
    add_personal_file(public_dataset)  # the published dataset now fails a check
    other = draft(people, org=people["other"], user="cd13-producteur",
                  title="Secret du Département")
    return {"ready": ready, "incomplete": incomplete, "pending": pending,
            "request": request, "refused": refused, "question": question,
            "flagged": public_dataset, "other": other}
