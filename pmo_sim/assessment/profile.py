"""The import profile: what one engagement's export means, where the file cannot say.

A client's survey tool knows nothing of the kit's questionnaire: the group
question is called "Which group are you in?", people answered "CIO" or
"project mgr", the numbers 1-5 are the tool's answer codes rather than
levels, and a "Department" column holds no answers. The consultant writes
this down once per engagement in a small YAML file and passes it as
``--mapping FILE.yaml``::

    group_column: "Which group are you in?"
    groups:              # label as typed in the file -> group; null leaves the respondent out
      CIO: executive
      project mgr: project_manager
      Prefer not to say: null
    codes:
      first_level: 1     # numeric answers count from 1: 1 -> level 0 ... 5 -> level 4
    ignore_columns: [Department]
    not_answered: ["Don't know"]
    questions: {"Q7": AL3}

:class:`TableProfile` holds what any imported table may need (columns to
ignore, a sheet, a layout); :class:`SurveyProfile` adds what a questionnaire
needs (groups, answer codes, words meaning "no answer"). The project-history
mapping of :mod:`pmo_sim.calibration` extends :class:`TableProfile` too.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from pmo_sim.assessment.answers import closest
from pmo_sim.assessment.groups import normalise_group
from pmo_sim.assessment.questionnaire import Questionnaire
from pmo_sim.assessment.text import fold, normalise_text
from pmo_sim.inputs import load_yaml, validate_model

__all__ = ["SurveyProfile", "TableProfile", "load_profile", "load_survey_profile"]

P = TypeVar("P", bound="TableProfile")

Level = Annotated[int, Field(ge=0, le=4)]


class TableProfile(BaseModel):
    """What any imported table may need said about it: fields common to all import profiles.

    A subclass names the layouts its files may be read as by overriding
    :meth:`known_layouts`; the base accepts any layout name.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Columns that hold no data for the kit (matched as :meth:`key` compares headers).
    ignore_columns: list[str] = Field(default_factory=list)
    #: The workbook sheet to read (name, or number counted from 1). Default: the first.
    sheet: str | Annotated[int, Field(ge=1)] | None = None
    #: The layout to read the file as, when it cannot be recognised (see ``pmo-sim inspect``).
    layout: str | None = None

    @classmethod
    def known_layouts(cls) -> Collection[str] | None:
        """The layout names ``layout`` may take; None accepts any."""
        return None

    @staticmethod
    def key(text: object) -> str:
        """How headers and values are compared: :func:`fold`, surrounding quotes dropped."""
        return " ".join(fold(text).strip("\"'").split())

    @field_validator("ignore_columns")
    @classmethod
    def _no_blank_columns(cls, values: list[str]) -> list[str]:
        return _no_blanks(values)

    @field_validator("layout")
    @classmethod
    def _known_layout(cls, value: str | None) -> str | None:
        known = cls.known_layouts()
        if value is None or known is None or value in known:
            return value
        raise ValueError(f"unknown layout {value!r}; choose from {', '.join(known)}")

    @property
    def sheet_index(self) -> str | int:
        """The sheet as a 0-based number or a name, as the table readers take it."""
        if self.sheet is None:
            return 0
        return self.sheet - 1 if isinstance(self.sheet, int) else self.sheet

    def ignores(self, header: str) -> bool:
        """Whether a column with this header is to be ignored."""
        return self.key(header) in {self.key(c) for c in self.ignore_columns}


def _no_blanks(values: list[str]) -> list[str]:
    """Entries normalised; a blank one is refused."""
    if any(not normalise_text(v) for v in values):
        raise ValueError("entries must not be blank")
    return [normalise_text(v) for v in values]


class SurveyProfile(TableProfile):
    """An engagement's import profile for survey answers (the ``--mapping`` file)."""

    #: Cell values that mean "no answer", besides blank and ``n/a``.
    not_answered: list[str] = Field(default_factory=list)
    #: The column holding each respondent's group (header text or, for Qualtrics, export tag).
    group_column: str | None = None
    #: Group label as typed in the file -> standard or custom group; None leaves them out.
    groups: dict[str, str | None] = Field(default_factory=dict)
    #: How coded answers become levels: ``{first_level: 0|1}`` or a table ``{code: level}``.
    codes: dict[str, Level | None] | None = None
    #: Column header (or export tag) -> question id, for columns not matched by text or id.
    questions: dict[str, str] = Field(default_factory=dict)

    @classmethod
    def known_layouts(cls) -> Collection[str]:
        """The survey layouts of :data:`pmo_sim.assessment.layouts.LAYOUTS`."""
        from pmo_sim.assessment.layouts import LAYOUTS

        return LAYOUTS

    @field_validator("not_answered")
    @classmethod
    def _no_blank_words(cls, values: list[str]) -> list[str]:
        return _no_blanks(values)

    @field_validator("codes", mode="before")
    @classmethod
    def _string_codes(cls, value: Any) -> Any:
        # YAML reads `1: 0` with integer keys; codes are compared as text.
        if isinstance(value, dict):
            return {str(k): v for k, v in value.items()}
        return value

    @field_validator("codes")
    @classmethod
    def _one_coding(cls, codes: dict[str, int | None] | None) -> dict[str, int | None] | None:
        if codes is None:
            return None
        if not codes:
            raise ValueError("give first_level: 0 or 1, or a table of code: level entries")
        if "first_level" in codes:
            if len(codes) > 1:
                raise ValueError(
                    "give either first_level or a table of codes, not both "
                    f"(found first_level and {', '.join(k for k in codes if k != 'first_level')})"
                )
            if codes["first_level"] not in (0, 1):
                raise ValueError("first_level must be 0 (codes are levels) or 1 (1 is level 0)")
        return codes

    @field_validator("groups")
    @classmethod
    def _groups(cls, groups: dict[str, str | None]) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for label, group in groups.items():
            if group is not None and not normalise_text(group):
                raise ValueError(f"group for {label!r} is blank (write null to leave them out)")
            out[normalise_text(label)] = None if group is None else normalise_group(group)
        return out

    @field_validator("questions")
    @classmethod
    def _known_questions(cls, questions: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        questionnaire = (info.context or {}).get("questionnaire")
        if questionnaire is None:
            return questions
        ids = list(questionnaire.questions)
        unknown = []
        for header, qid in questions.items():
            if qid not in questionnaire.questions:
                hint = closest(qid, ids)
                unknown.append(
                    f"{header!r} -> {qid!r}: unknown question id"
                    + (f" (did you mean {hint!r}?)" if hint else "")
                )
        if unknown:
            raise ValueError("; ".join(unknown))
        return questions

    @property
    def first_level(self) -> int | None:
        """0 or 1 when numeric codes are declared to count from there, else None."""
        return None if self.codes is None else self.codes.get("first_level")

    @property
    def code_table(self) -> dict[str, int | None] | None:
        """The explicit ``{code: level}`` table (keys folded), or None."""
        if self.codes is None or "first_level" in self.codes:
            return None
        return {fold(k): v for k, v in self.codes.items()}

    def group_for(self, label: str) -> tuple[bool, str | None]:
        """``(True, group)`` when the profile maps this label (group None: leave out)."""
        key = fold(label)
        for typed, group in self.groups.items():
            if fold(typed) == key:
                return True, group
        return False, None


def load_profile(path: str | Path, model: type[P], context: dict[str, Any] | None = None) -> P:
    """Load and validate an import profile YAML as ``model``; every problem at once."""
    doc = load_yaml(path)
    return validate_model(model, doc, context)


def load_survey_profile(
    path: str | Path, questionnaire: Questionnaire | None = None
) -> SurveyProfile:
    """Load a ``--mapping`` file; question ids are checked against ``questionnaire`` if given."""
    context = {"questionnaire": questionnaire} if questionnaire is not None else None
    return load_profile(path, SurveyProfile, context)
