"""Show the public reason at the address of a withdrawn page (HTTP 410) instead of a bare 404."""

from django.template.response import TemplateResponse

from .models import Withdrawal


class WithdrawnPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            withdrawal = Withdrawal.objects.filter(url=request.path, page__live=False).first()
            if withdrawal is not None:
                response = TemplateResponse(
                    request, "screening/withdrawn.html", {"withdrawal": withdrawal}, status=410
                )
                response.render()
        return response
