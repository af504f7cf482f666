"""Every error Frontlines raises on purpose, rooted in one class.

    FrontlinesError                       code  meaning
    ├── ConfigError                       E001  a setting has an invalid value
    ├── InputError                        E100  one input record is unusable (skipped in batches)
    │   ├── UnknownFileTypeError          E101  file type not supported
    │   ├── DecodeError                   E102  bytes are not valid text in the expected encoding
    │   ├── RecordFormatError             E103  invalid JSON / missing or wrong field
    │   ├── EmptyTextError                E104  a record with no text
    │   ├── DateFormatError               E105  an unparseable date
    │   ├── FetchError                    E106  a URL could not be fetched
    │   ├── SourceNotFoundError           E107  a file or folder is missing or unreadable
    │   ├── LimitError                    E108  an input is over a declared limit (size, depth)
    │   └── UnreadableInputError          E109  reading one input failed unexpectedly (skipped)
    ├── GazetteerError                    E200  gazetteer missing, corrupt or not installable
    │   ├── GazetteerNotInstalledError    E201  no index at the configured path
    │   └── UnsafeArchiveError            E202  a download is too large, malformed or hostile
    ├── ModelNotInstalledError            E300  the spaCy model is not installed
    ├── StoreError                        E400  database unreachable or schema out of date
    ├── EvalError                         E500  a gold file cannot be read
    └── ProcessingError                   E600  one article failed inside the pipeline (skipped)

Messages name the input, the problem and the fix, e.g.
``articles.jsonl line 14: "published" is "17/08/2017"; expected an ISO date such as 2017-08-17``.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "DateFormatError",
    "DecodeError",
    "EmptyTextError",
    "EvalError",
    "FetchError",
    "FrontlinesError",
    "GazetteerError",
    "GazetteerNotInstalledError",
    "InputError",
    "LimitError",
    "ModelNotInstalledError",
    "ProcessingError",
    "RecordFormatError",
    "SourceNotFoundError",
    "StoreError",
    "UnknownFileTypeError",
    "UnreadableInputError",
    "UnsafeArchiveError",
]


class FrontlinesError(Exception):
    """Base of every deliberate Frontlines error. ``code`` is stable across releases."""

    code = "E000"

    def __init__(self, message: str, *, where: str | None = None) -> None:
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}" if where else message)

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.args[0]


class ConfigError(FrontlinesError):
    code = "E001"


class InputError(FrontlinesError):
    code = "E100"


class UnknownFileTypeError(InputError):
    code = "E101"


class DecodeError(InputError):
    code = "E102"


class RecordFormatError(InputError):
    code = "E103"


class EmptyTextError(InputError):
    code = "E104"


class DateFormatError(InputError):
    code = "E105"


class FetchError(InputError):
    code = "E106"


class SourceNotFoundError(InputError):
    code = "E107"


class LimitError(InputError):
    """An input over a limit declared in the settings table; the message names the setting."""

    code = "E108"


class UnreadableInputError(InputError):
    """Reading one input raised something unexpected; it is skipped and the run goes on."""

    code = "E109"


class GazetteerError(FrontlinesError):
    code = "E200"


class GazetteerNotInstalledError(GazetteerError):
    code = "E201"


class UnsafeArchiveError(GazetteerError):
    code = "E202"


class ModelNotInstalledError(FrontlinesError):
    code = "E300"


class StoreError(FrontlinesError):
    code = "E400"


class EvalError(FrontlinesError):
    code = "E500"


class ProcessingError(FrontlinesError):
    code = "E600"
