"""A made-up SenseMaker® project in the export layout, for tests, the benchmark and trying
the importer: `sample_project(n, seed)` gives its definition (as parsed JSON) and CSV.

It has what real exports have: one-element arrays, HTML in titles and labels, layout
elements to skip, Swedish letters, stories over several lines with quotes and commas,
triads and dyads answered N/A, stones left unplaced, single and multiple choice lists.
"""

import csv
import io
import random
import uuid

STORIES = (
    "Sköterskan satt kvar hos mig en stund fast det var fullt på avdelningen.",
    "Min pappa fick vänta i fyra timmar.\n"
    'Ingen sa något om varför, och ingen frågade "hur mår du?"',
    "Jag fick äntligen träffa samma läkare två gånger i rad, det gjorde att jag vågade fråga.",
    "På natten, när det var tyst, kom hon in med en kopp te.\r\nDet lugnade mig mer än medicinen.",
    "Vi anhöriga fick inte veta att mamma flyttats till en annan avdelning; vi letade i en timme.",
    "Undersköterskan märkte att jag inte åt och ringde dietisten samma dag. Tack, Åsa!",
)


def _ids(rng: random.Random, count: int) -> list[str]:
    return [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(count)]


def definition(seed: int = 1) -> dict:
    """The project's definition, shaped as SenseMaker exports it."""
    rng = random.Random(seed)
    ids = iter(_ids(rng, 40))

    def signifier(kind, title, content=None, *, fragment=False, allow_na=False):
        return {"id": next(ids), "name": "Name", "type": kind, "title": title,
                "allow_na": allow_na, "fragment": fragment, "required": False,
                "content": content or {"items": {}, "axis": {"x": {}, "y": {}},
                                       "stones": {}, "labels": {}}}  # fmt: skip

    def labels(*texts):
        return [{"id": next(ids), "text": text} for text in texts]

    def items(*titles):
        return [{"id": next(ids), "title": title, "image": "", "tooltip": ""} for title in titles]

    signifiers = [
        signifier("label", "<h4>Välkommen!</h4>", {"text": "<p>Tack för att du <i>berättar</i>"}),
        signifier("list", "Vilken fråga vill du svara på?",
                  {"items": items("En gång när vården <b>fungerade</b>", "En gång när det skavde"),
                   "max_responses": 1}),
        signifier("freetext", "Berätta om en händelse<br>i vården", {"multiline": True},
                  fragment=True),
        signifier("freetext", "Ge berättelsen en rubrik", {"multiline": False}),
        signifier("triad", "Det som hände handlade mest om…",
                  {"labels": labels("Personalens<br><i>bemötande</i>", "Anhörigas stöd",
                                    "Min egen förmåga")}, allow_na=True),
        signifier("dyad", "Tempot var…", {"labels": labels("Stressat &amp; rörigt", "Lugnt")},
                  allow_na=True),
        signifier("stones", "Var står de här personerna?",
                  {"axis": {"x": {"name": "Närhet", "start_label": "Långt borta",
                                  "end_label": "Nära"},
                            "y": {"name": "Inflytande", "start_label": "Lite",
                                  "end_label": "Mycket"}},
                   "stones": items("Sjuksköterska", "Läkare", "Undersköterska")}),
        signifier("list", "Vad handlade det om?",
                  {"items": items("Mat", "Sömn", "Sällskap", "Smärta"), "max_responses": 3}),
        signifier("save", "Spara"),
        signifier("navigation", "Nästa"),
    ]  # fmt: skip
    return {"id": [str(uuid.UUID(int=rng.getrandbits(128), version=4))],
            "name": ["Trygg vård – berättelser"], "language": ["sv"], "version": [0.3],
            "sections": [{"id": "s1", "title": "Sida 1", "signifiers": signifiers}]}  # fmt: skip


def _by_type(project: dict) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for signifier in project["sections"][0]["signifiers"]:
        found.setdefault(signifier["type"], []).append(signifier)
    return found


def columns(project: dict) -> list[str]:
    kinds = _by_type(project)
    prompt, topics = kinds["list"]
    story, title = kinds["freetext"]
    triad, dyad, stones = kinds["triad"][0], kinds["dyad"][0], kinds["stones"][0]
    names = ["id", "project_id", "version", "language", "server_upload_time",
             prompt["id"], story["id"], title["id"],
             f"{triad['id']}_percentX", f"{triad['id']}_percentY",
             *(f"{triad['id']}_{label['id']}" for label in triad["content"]["labels"]),
             f"{triad['id']}_NA", f"{dyad['id']}_percentX",
             *(f"{dyad['id']}_{label['id']}" for label in dyad["content"]["labels"]),
             f"{dyad['id']}_NA"]  # fmt: skip
    for stone in stones["content"]["stones"]:
        names += [
            f"{stones['id']}_{stone['id']}_percentX",
            f"{stones['id']}_{stone['id']}_percentY",
        ]
    names += [f"{topics['id']}_{item['id']}" for item in topics["content"]["items"]]
    return [*names, "meta_started", "meta_platform"]


def rows(project: dict, n: int, seed: int = 1):
    """`n` rows of answers, in `columns(project)` order."""
    rng = random.Random(seed)
    kinds = _by_type(project)
    prompt_items = kinds["list"][0]["content"]["items"]
    start = 1_700_000_000_000
    for number in range(n):
        row = [str(uuid.UUID(int=rng.getrandbits(128), version=1)), project["id"][0], "0.3",
               rng.choice(["sv", "sv", "en", ""]), str(start + number * 61_000),
               rng.choice(prompt_items)["id"], STORIES[number % len(STORIES)],
               f"Händelse {number}"]  # fmt: skip
        if number % 7 == 3:  # triad N/A: values blank
            row += ["", "", "", "", "", "1"]
        else:
            weights = [rng.random() + 0.05 for _ in range(3)]
            shares = [round(w / sum(weights), 6) for w in weights]
            row += [f"{rng.random():.6f}", f"{shares[0]:.6f}", *(f"{s:.6f}" for s in shares), ""]
        if number % 5 == 2:  # dyad N/A
            row += ["", "", "", "1"]
        else:
            x = round(rng.random(), 6)
            row += [f"{x:.6f}", f"{1 - x:.6f}", f"{x:.6f}", ""]
        for _ in range(3):  # a stone is left unplaced now and then
            placed = rng.random() < 0.7
            row += [f"{rng.random():.4f}", f"{rng.random():.4f}"] if placed else ["", ""]
        topics = ["1" if rng.random() < 0.4 else "" for _ in range(4)]
        row += topics if topics.count("1") <= 3 else ["1", "1", "1", ""]  # at most 3 allowed
        yield [*row, str(start), rng.choice(["ios", "web"])]


def csv_bytes(project: dict, n: int, seed: int = 1) -> bytes:
    """The export as SenseMaker writes it: UTF-8 with a BOM, fields quoted as needed."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns(project))
    writer.writerows(rows(project, n, seed))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def sample_project(n: int = 100, seed: int = 1) -> tuple[dict, bytes]:
    project = definition(seed)
    return project, csv_bytes(project, n, seed)
