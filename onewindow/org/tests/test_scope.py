"""scope_queryset: the one place data scope is applied."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from onewindow.org.models import Center, Department, User, Window
from onewindow.org.selectors import (
    departments_for,
    in_data_scope,
    scope_queryset,
    staff_for,
    visible_department_ids,
)
from tests.factories import make_user


@pytest.fixture
def other_center(org):
    center = Center.objects.create(code="OTHER", name="他市政务服务中心", level="city")
    dept = Department.objects.create(center=center, code="SCJG", name="他市市场监管")
    make_user("other-reviewer", center=center, department=dept, roles=("reviewer",))
    Window.objects.create(center=center, code="A01", name="他市窗口", department=dept)
    return center


def usernames(qs):
    return set(qs.values_list("username", flat=True))


@pytest.mark.django_db
def test_department_scope_sees_only_its_department(org, other_center):
    reviewer = org.user("scjg-reviewer")
    assert visible_department_ids(reviewer) == {org.dept_a.pk}
    seen = usernames(scope_queryset(User.objects.all(), reviewer))
    assert seen == {"scjg-reviewer", "scjg-approver", "scjg-chief"}
    assert set(departments_for(reviewer)) == {org.dept_a}
    # rows without a department (the general window) are not the department's
    assert list(scope_queryset(Window.objects.all(), reviewer)) == [org.window_a]


@pytest.mark.django_db
def test_selected_departments_include_the_own_one_and_ignore_other_centers(org, other_center):
    user = org.user("scjg-reviewer")
    user.data_scope = User.Scope.DEPARTMENTS
    user.save()
    foreign = Department.objects.get(center=other_center)
    user.scope_departments.set([org.dept_b, foreign])
    assert visible_department_ids(user) == {org.dept_a.pk, org.dept_b.pk}
    assert set(departments_for(user)) == {org.dept_a, org.dept_b}
    seen = usernames(scope_queryset(User.objects.all(), user))
    assert "sw-reviewer" in seen and "scjg-chief" in seen
    assert "other-reviewer" not in seen
    # even on a model reached without a center path, the foreign department stays out
    assert foreign.pk not in set(
        scope_queryset(Department.objects.all(), user, department_field="id", center_field=None).values_list(
            "pk", flat=True
        )
    )


@pytest.mark.django_db
def test_selected_departments_without_an_own_department(org):
    user = make_user("coordinator", center=org.center, data_scope=User.Scope.DEPARTMENTS)
    user.scope_departments.set([org.dept_b])
    assert visible_department_ids(user) == {org.dept_b.pk}
    assert set(departments_for(user)) == {org.dept_b}


@pytest.mark.django_db
def test_center_scope_sees_the_whole_center_and_nothing_else(org, other_center):
    supervisor = org.user("supervisor")
    assert visible_department_ids(supervisor) is None
    seen = usernames(scope_queryset(User.objects.all(), supervisor))
    assert "other-reviewer" not in seen
    assert seen == set(User.objects.filter(center=org.center).values_list("username", flat=True))
    assert set(scope_queryset(Window.objects.all(), supervisor)) == {org.general_window, org.window_a}
    assert set(departments_for(supervisor)) == {org.dept_a, org.dept_b}
    # no center path on the model: "whole center" still means this center only
    assert set(
        scope_queryset(Department.objects.all(), supervisor, department_field="id", center_field=None)
    ) == {org.dept_a, org.dept_b}


@pytest.mark.django_db
def test_a_center_path_through_a_relation(org, other_center):
    reviewer = org.user("scjg-reviewer")
    qs = scope_queryset(User.objects.all(), reviewer, center_field="department__center")
    assert usernames(qs) == {"scjg-reviewer", "scjg-approver", "scjg-chief"}


@pytest.mark.django_db
def test_no_center_sees_nothing_whatever_the_scope(org):
    for scope in User.Scope.values:
        user = make_user(f"floating-{scope}", center=None, department=None, data_scope=scope)
        assert visible_department_ids(user) == set()
        assert not scope_queryset(User.objects.all(), user).exists()
        assert not scope_queryset(
            Department.objects.all(), user, department_field="id", center_field=None
        ).exists()


@pytest.mark.django_db
def test_department_scope_without_a_department_sees_nothing(org):
    user = make_user("lost", center=org.center, data_scope=User.Scope.DEPARTMENT)
    assert visible_department_ids(user) == set()
    assert not scope_queryset(User.objects.all(), user).exists()


@pytest.mark.django_db
def test_inactive_and_anonymous_see_nothing(org):
    for name in ("supervisor", "scjg-reviewer"):
        user = org.user(name)
        user.is_active = False
        assert not scope_queryset(User.objects.all(), user).exists()
        assert visible_department_ids(user) == set()
    assert not scope_queryset(User.objects.all(), AnonymousUser()).exists()
    assert not scope_queryset(User.objects.all(), None).exists()


@pytest.mark.django_db
def test_a_narrowing_filter_never_widens(org, other_center):
    reviewer = org.user("scjg-reviewer")
    assert not staff_for(reviewer, department_code="SW").exists()
    assert usernames(staff_for(reviewer, department_code="scjg")) == {
        "scjg-reviewer",
        "scjg-approver",
        "scjg-chief",
    }
    assert "other-reviewer" not in usernames(staff_for(org.user("supervisor"), department_code="SCJG"))


@pytest.mark.django_db
def test_staff_lists_only_active_accounts(org):
    chief = org.user("scjg-chief")
    chief.is_active = False
    chief.save()
    assert usernames(staff_for(org.user("scjg-reviewer"))) == {"scjg-reviewer", "scjg-approver"}


@pytest.mark.django_db
def test_in_data_scope_agrees_with_scope_queryset_row_by_row(org, other_center):
    """The one-row check and the query set filter are the same rule."""
    windows = list(Window.objects.all())
    scoped_user = org.user("scjg-reviewer")
    scoped_user.data_scope = User.Scope.DEPARTMENTS
    scoped_user.save()
    scoped_user.scope_departments.set([org.dept_b])
    users = [*User.objects.all(), AnonymousUser(), None]
    for user in users:
        seen = set(scope_queryset(Window.objects.all(), user)) if user is not None else set()
        for window in windows:
            assert in_data_scope(user, center_id=window.center_id, department_id=window.department_id) == (
                window in seen
            ), (user, window)
