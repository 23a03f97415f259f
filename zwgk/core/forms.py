"""Form pieces every app's forms share."""

from zwgk.text.normalize import clean_line, clean_text


class CleanTextMixin:
    """Every text field arrives without control characters (they break the DOCX/PDF letters) and a
    one-line field without line breaks; the fields named in `multiline` keep theirs."""

    multiline: tuple[str, ...] = ()

    def _clean_fields(self):
        super()._clean_fields()
        for name, value in list(self.cleaned_data.items()):
            if isinstance(value, str):
                self.cleaned_data[name] = (
                    clean_text(value).strip() if name in self.multiline else clean_line(value)
                )
