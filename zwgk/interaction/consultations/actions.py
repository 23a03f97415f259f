"""The back-office actions on a consultation, one class each, as in zwgk.applications.actions:
`is_available(consultation, user)` from its state and the user's role and organ, `execute` calls the one
service function. Writing the 采纳情况 itself has its own page (admin_views.feedback)."""

from django import forms

from . import services
from .forms import LinkDocumentForm, ReviewForm
from .permissions import can
from .vocab import FeedbackStatus, Phase, Status


class Action:
    name = ""
    label = ""
    done = ""
    permission = "edit"
    form_class = forms.Form
    confirm_text = ""
    help = ""

    def is_available(self, consultation, user) -> bool:
        return self.state_allows(consultation) and can(user, self.permission, consultation)

    def state_allows(self, consultation) -> bool:
        return True

    def get_form(self, consultation, user, data=None):
        return self.form_class(data)

    def execute(self, consultation, user, data):
        raise NotImplementedError


class PublishAction(Action):
    name, label, done = "publish", "发布", "已发布，公众可以在征集期内提出意见。"
    help = "发布后征求意见稿在门户网站“意见征集”栏目公开；征集期不得短于法定期限。"

    def state_allows(self, consultation):
        return consultation.status == Status.DRAFT

    def execute(self, consultation, user, data):
        services.publish(consultation, user=user)


class SubmitFeedbackAction(Action):
    name, label, done = "submit_feedback", "采纳情况提交三审", "采纳情况已提交三审（初审 → 复审 → 终审）。"
    permission = "write_feedback"
    help = "三审通过后采纳情况在征集页面公开，意见征集随之办结。"

    def state_allows(self, consultation):
        feedback = consultation.feedback_or_none
        return feedback is not None and feedback.status in (FeedbackStatus.DRAFT, FeedbackStatus.REJECTED)

    def execute(self, consultation, user, data):
        services.submit_feedback(consultation.feedback, user=user)


class ReviewAction(Action):
    form_class = ReviewForm
    approve = True

    def is_available(self, consultation, user):
        feedback = consultation.feedback_or_none
        return feedback is not None and not services.review_refusal(feedback, user)

    def execute(self, consultation, user, data):
        feedback = services.review_feedback(
            consultation.feedback, user=user, approve=self.approve, opinion=data.get("opinion", "")
        )
        if feedback.status == FeedbackStatus.PUBLISHED:
            return "终审通过：采纳情况已在征集页面发布，意见征集已办结。"
        return None


class ApproveFeedbackAction(ReviewAction):
    name, label, done = "approve_feedback", "批准采纳情况", "已批准，转下一审核步骤。"


class RejectFeedbackAction(ReviewAction):
    name, label, done = "reject_feedback", "退回修改", "已退回修改。"
    approve = False


class CloseAction(Action):
    name, label, done = "close", "办结", "意见征集已办结。"
    permission = "close"
    help = "采纳情况经三审批准并发布后才能办结。"

    def state_allows(self, consultation):
        return consultation.status == Status.PUBLISHED and consultation.phase() == Phase.ENDED

    def execute(self, consultation, user, data):
        services.close(consultation, user=user)


class LinkDocumentAction(Action):
    name, label, done = "link_document", "关联形成的文件", "已关联形成的规范性文件。"
    form_class = LinkDocumentForm
    help = "征集形成的规范性文件发布后，在此关联；文件页面显示“起草时公开征求意见”的链接。"

    def state_allows(self, consultation):
        return consultation.status != Status.DRAFT

    def get_form(self, consultation, user, data=None):
        return LinkDocumentForm(data, user=user, initial={"document": consultation.result_document_id})

    def execute(self, consultation, user, data):
        services.link_document(consultation, user=user, document=data.get("document"))


ACTIONS = {
    action.name: action
    for action in (
        PublishAction(),
        SubmitFeedbackAction(),
        ApproveFeedbackAction(),
        RejectFeedbackAction(),
        CloseAction(),
        LinkDocumentAction(),
    )
}


def available_actions(consultation, user):
    return [action for action in ACTIONS.values() if action.is_available(consultation, user)]
