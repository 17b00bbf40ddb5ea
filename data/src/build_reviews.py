#!/usr/bin/env python3
"""Build the safemeta review files in data/ from the seed-data extracts.

Inputs:  data/src/seed-data/ (a copy of the shared seed-data; see its README.md)
Outputs: data/msc-iv-rct.json, data/msc-iv-rct-outcomes.csv, data/iv-sae-70.json,
         data/tumorigenicity.json, data/allogeneic-review.json

Run from anywhere:  python3 data/src/build_reviews.py
Standard library only.  The output is deterministic, so a rerun on unchanged
inputs reproduces the committed files byte for byte.  Every count the review
format depends on is checked while building (a failed check aborts before
anything is written) and again on the written files (validate()).
"""

import csv
import json
import os
import re
import sys
import unicodedata
from collections import Counter, OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = os.path.join(HERE, "seed-data")
OUT = os.path.dirname(HERE)

SEED_000 = "000_23cd83d0300fbba3.txt"
SEED_001 = "001_66f4be3f5f102ced.txt"
SEED_002 = "002_7eb84d755c47cefe.txt"
SEED_003 = "003_cca96f3841285043.txt"

JSON_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?\Z")


class BuildError(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise BuildError(msg)


# --------------------------------------------------------------------------
# JSON output.  Printed statistics must keep their printed digits ("0.0000",
# "-0.00"), which json.dumps cannot do, so numbers given as Raw are written
# verbatim after a grammar check.

class Raw(str):
    """A JSON number literal written exactly as given."""


def raw(text):
    text = text.strip()
    check(JSON_NUMBER.match(text) is not None, "not a JSON number literal: %r" % text)
    return Raw(text)


def _scalar(v):
    if isinstance(v, Raw):
        return str(v)
    if v is None or isinstance(v, (bool, int, float, str)):
        return json.dumps(v, ensure_ascii=False)
    raise BuildError("cannot serialise %r" % (v,))


def _compact(v):
    if isinstance(v, dict):
        return "{" + ", ".join(_scalar(k) + ": " + _compact(x) for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(_compact(x) for x in v) + "]"
    return _scalar(v)


WIDTH = 120


def _is_row(v):
    """A table row: a list of scalars inside a list, written on one line."""
    return isinstance(v, list) and not any(isinstance(x, (dict, list)) for x in v)


def _emit(v, indent, lead=0):
    """Pretty-print.  A container stays on one line when it fits in WIDTH (lead
    is the length of the '"key": ' already on the line); a list of short scalars,
    such as a table row, always stays on one line, and so does a list inside a
    list (a table row, even one with long cells)."""
    pad = "  " * indent
    flat = _compact(v)
    if not isinstance(v, (dict, list)) or not v or len(pad) + lead + len(flat) <= WIDTH:
        return flat
    if isinstance(v, list) and all(not isinstance(x, (dict, list)) and len(_scalar(x)) <= 100
                                   for x in v):
        return flat
    inner = "  " * (indent + 1)
    if isinstance(v, dict):
        items = [inner + _scalar(k) + ": " + _emit(x, indent + 1, len(_scalar(k)) + 2)
                 for k, x in v.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    items = [inner + (_compact(x) if _is_row(x) else _emit(x, indent + 1)) for x in v]
    return "[\n" + ",\n".join(items) + "\n" + pad + "]"


def dump_json(obj):
    return _emit(obj, 0) + "\n"


# --------------------------------------------------------------------------
# Small helpers

def read_csv(name):
    with open(os.path.join(SEED, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read_json(name):
    with open(os.path.join(SEED, name), encoding="utf-8") as f:
        return json.load(f, object_pairs_hook=OrderedDict)


def slug(text):
    """ASCII id fragment: 'Álvaro-Gracia' -> 'alvaro-gracia'."""
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    t = re.sub(r"[^A-Za-z0-9-]+", "", t).lower()
    check(t != "", "empty id fragment from %r" % text)
    return t


def write_text(path, text):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


# --------------------------------------------------------------------------
# Seed 001: Habiba et al. 2025, IV MSC RCT meta-analysis

T2_COLUMNS = [  # (printed Table 2 heading, study_characteristics_001.csv column)
    ("Country", "country"),
    ("Condition", "condition"),
    ("Patient (n)", "patients_n_text"),
    ("Intervention: Source", "source"),
    ("Intervention: Route", "route"),
    ("Intervention: Control", "control"),
    ("Patients evaluated n (%male): T", "evaluated_t_text"),
    ("Patients evaluated n (%male): C", "evaluated_c_text"),
    ("Age (yr)*: T", "age_t_text"),
    ("Age (yr)*: C", "age_c_text"),
    ("Dose (T)", "dose_t_text"),
    ("Phase", "phase"),
    ("Follow-up (mon)", "follow_up_text"),
    ("NCT#", "nct"),
]

T2_FOOTNOTE = (
    "*Data are expressed as the mean±SD. ACLF: Acute-chronic liver failure; ARDS: acute "
    "respiratory distress syndrome; ASD: autism spectrum disorder; C: control; COPD: Chronic "
    "obstructive pulmonary disorder; CP: cerebral palsy; DLC: decompensated liver cirrhosis; "
    "IPF: idiopathic pulmonary fibrosis; ITBL: Ischemic-type biliary lesions; IV: intravenous; "
    "KTR: kidney transplant recipients; MI: myocardial infarction; MS: multiple sclerosis; "
    "NA: not applicable; T: treatment; T2DM: type 2 diabetes mellitus. "
    "[Transcription notes, not printed: 'Ref' is the superscript as printed (Zhu et al., 2024 "
    "prints 46 but is ref 16; the 219-patient DLC row printed 'Shi et al., 2012' with 29 is "
    "Shi et al., 2021, ref 51; ref 29 is missing from the reference list). Patient (n) differs "
    "from T + C in 12 rows. The Lublin cells '2 (33; 1(17)' and '52.5 (41–5)' are malformed as "
    "printed. The Source column appears shifted by one row from Bartolucci to Gu when judged "
    "against the reference titles, and Country may be misaligned in the same block.]"
)

ROB1_DOMAINS = [  # (display name, rob_001.csv column)
    ("Random sequence generation (selection bias)", "random_sequence_generation"),
    ("Allocation concealment (selection bias)", "allocation_concealment"),
    ("Blinding of participants and personnel (performance bias)",
     "blinding_participants_personnel"),
    ("Blinding of outcome assessment (detection bias)", "blinding_outcome_assessment"),
    ("Incomplete outcome data (attrition bias)", "incomplete_outcome_data"),
    ("Selective reporting (reporting bias)", "selective_reporting"),
    ("Other bias", "other_bias"),
]

# Table 3 labels that do not equal their study's label, with the study id they
# denote (a study's label is its Table 3 label where that is unique, so only the
# second spelling of Erpicum remains).  The script recomputes this from the
# seed data and fails if it drifts.
T3_LABEL_MAP_EXPECTED = {
    ("Epicum et al., 2019", "27"): "erpicum2019",
}

REPORTED_FIELDS = [  # (format key, reported_results_001.csv column)
    ("k", "k_implied_by_residual_bound"),
    ("z", "z"),
    ("p", "p"),
    ("estimate", "log_or"),
    ("ci_lb", "ci_lower"),
    ("ci_ub", "ci_upper"),
    ("Q", "q"),
    ("Q_p", "q_p"),
    ("tau2", "tau2"),
    ("I2", "i2_pct"),
    ("rstudent_bound", "studentized_residual_bound"),
    ("begg_p", "rank_corr_p"),
    ("egger_p", "regression_p"),
    ("studies_stated", "n_rcts_stated"),
]


def t3_labels(cell):
    """'Epicum et al., 2019 [27]; Ercicum et al., 2019 [27]' -> [(label, ref), ...]."""
    out = []
    for part in filter(None, (p.strip() for p in cell.split(";"))):
        m = re.match(r"(.*) \[(\d+|no ref)\]\Z", part)
        check(m is not None, "unparsed table3_labels entry %r" % part)
        out.append((m.group(1), "" if m.group(2) == "no ref" else m.group(2)))
    return out


def study_id_001(row):
    entry = row["ref_list_entry"]
    m = re.match(r"(\S+) .* (\d{4})\Z", entry)
    if m and not entry.startswith("absent"):
        return slug(m.group(1)) + m.group(2)
    m = re.match(r"(\S+) et al\., (\d{4})\Z", row["study_label"])
    check(m is not None, "cannot derive an id for %r" % row["study_label"])
    return slug(m.group(1)) + m.group(2)


DAYS_PER_MONTH = 30.4375  # 365.25 / 12


def follow_up_months(text):
    """Table 2's Follow-up (mon) as a number of months, or None when not stated.

    A plain number is months (the column heading); '6 mon' is months too; days
    ('28 d', '7 days') and weeks ('24 weeks') are converted at 30.4375 days per
    month.  Any other form fails the build, so a new spelling is never guessed.
    """
    t = text.strip()
    if not t:
        return None
    m = re.match(r"(\d+(?:\.\d+)?)(?:\s*(mon|d|days|weeks))?\Z", t)
    check(m is not None, "seed 001: unparsed follow-up %r" % text)
    v = float(m.group(1))
    unit = m.group(2)
    if unit in ("d", "days"):
        v = v / DAYS_PER_MONTH
    elif unit == "weeks":
        v = v * 7 / DAYS_PER_MONTH
    return round(v, 4) if unit in ("d", "days", "weeks") else v


def numeric_characteristics_001(row):
    """Derived numbers with units, so that they can be moderators (--mods):
    follow-up in months and the number of patients (Table 2's Patient (n),
    the seed's derived patients_n).  Absent when the paper states none."""
    out = OrderedDict()
    fu = follow_up_months(row["follow_up_text"])
    if fu is not None:
        out["follow_up_months"] = OrderedDict(
            [("value", int(fu) if fu == int(fu) else fu), ("unit", "months"),
             ("text", row["follow_up_text"].strip())])
    if row["patients_n"].strip():
        out["patients_n"] = OrderedDict(
            [("value", int(row["patients_n"])), ("unit", "patients")])
    return out


def build_studies_001(chars):
    """Studies in Table 2 order, plus the (Table 3 label, ref) -> id map."""
    studies, label_map, by_ref = [], {}, {}
    for row in chars:
        sid = study_id_001(row)
        printed = t3_labels(row["table3_labels"])
        names = sorted({lab for lab, _ in printed})
        if len(names) == 1:
            label = names[0]
        elif row["study_label"] in names or not names:
            label = row["study_label"]
        else:
            raise BuildError("no label rule for %s" % sid)
        for key in printed:
            label_map[key] = sid
        year = int(re.search(r"(\d{4})\Z", label).group(1))
        if sid == "zhang2017":
            year = 2017  # Table 2 and the reference list; Table 3 prints 2016
        char = OrderedDict((name, row[col]) for name, col in T2_COLUMNS)
        char.update(numeric_characteristics_001(row))
        if row["study_label"] != label:
            char["Table 2 label"] = row["study_label"]
        if row["ref_cited"] != row["ref_resolved"]:
            char["Table 2 ref as printed"] = row["ref_cited"]
        study = OrderedDict([("id", sid), ("label", label), ("year", year),
                             ("ref", row["ref_resolved"]), ("characteristics", char)])
        studies.append(study)
        by_ref[row["ref_resolved"]] = sid
    ids = [s["id"] for s in studies]
    check(len(ids) == 36 and len(set(ids)) == 36, "seed 001: expected 36 unique study ids")
    return studies, label_map, by_ref


def build_outcomes_001(counts, studies, label_map):
    label_of = {s["id"]: s["label"] for s in studies}
    rows, remapped = [], {}
    for r in counts:
        key = (r["study"], r["ref"])
        check(key in label_map, "Table 3 row %r has no study" % (key,))
        sid = label_map[key]
        if r["study"] != label_of[sid]:
            remapped[key] = sid
        rows.append([sid, r["domain"], r["sub"], r["ref"], r["event"], r["study"],
                     r["e_t"], r["n_t"], r["e_c"], r["n_c"]])
        for col in ("e_t", "n_t", "e_c", "n_c"):
            check(re.match(r"\d+\Z", r[col]) is not None, "non-integer count %r" % r[col])
        check(int(r["e_t"]) <= int(r["n_t"]) and int(r["e_c"]) <= int(r["n_c"]),
              "events exceed total in %r" % (key,))
    n_epicum = sum(1 for r in counts if r["study"].startswith("Epicum"))
    check(n_epicum == 4, "seed 001: the notes say four 'Epicum' rows, found %d" % n_epicum)
    check(remapped == T3_LABEL_MAP_EXPECTED,
          "Table 3 label mapping changed: %r" % (remapped,))
    check(len(rows) == 236, "seed 001: expected 236 outcome rows, got %d" % len(rows))
    domains = list(OrderedDict.fromkeys(r[1] for r in rows))
    check(len(domains) == 16, "seed 001: expected 16 domains, got %d" % len(domains))
    return rows, domains


def write_outcomes_csv_001(path, rows):
    header = ["study", "domain", "sub", "ref", "event", "table3_label",
              "e_t", "n_t", "e_c", "n_c"]
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow(header)
        for r in rows:
            w.writerow(r[:5] + [r[5]] + r[6:])


def build_rob_001(rob, by_ref, study_order):
    judgments, left_out = [], []
    for r in rob:
        ref = r["ref_numbers"].split(";")[0]
        if r["in_table2"] != "yes":
            check(ref not in by_ref or ref == "28", "unexpected unmapped RoB row %r" % ref)
            left_out.append(r["study"])
            continue
        check(ref in by_ref, "RoB row %r maps to no study" % r["study"])
        vals = [r[col] for _, col in ROB1_DOMAINS]
        check(all(v in ("low", "unclear", "high") for v in vals), "bad RoB value")
        judgments.append(OrderedDict([("study", by_ref[ref]), ("values", vals),
                                      ("overall", None)]))
    order = {sid: i for i, sid in enumerate(study_order)}
    judgments.sort(key=lambda j: order[j["study"]])
    check(len(judgments) == 36, "seed 001: expected 36 RoB rows")
    check(len({j["study"] for j in judgments}) == 36, "seed 001: duplicate RoB study")
    check(left_out == ["UNRESOLVED (ref 28)"], "seed 001: unexpected RoB rows left out")
    return OrderedDict([("tool", "RoB1"), ("domains", [d for d, _ in ROB1_DOMAINS]),
                        ("judgments", judgments)])


# Every Results section of seed 001 ends with the same two sentences, the
# residual bound being the section's own (studentized_residual_bound; in the
# renal section a figure caption interrupts the first sentence on the page).
COOK_QUOTE_001 = ("Similarly, Cook's distance values suggested that none of the studies were "
                  "disproportionately influential.")
OUTLIER_QUOTE_001 = ("An analysis of studentized residuals revealed no values exceeding "
                     "\u00b1 %s , indicating no potential outliers within this model.")


def claims_001(r):
    return [
        OrderedDict([("claim", "no influential study"), ("quote", COOK_QUOTE_001)]),
        OrderedDict([("claim", "no outlier"),
                     ("quote", OUTLIER_QUOTE_001 % r["studentized_residual_bound"])]),
    ]


def build_reported_001(results, domains):
    analyses = []
    for r in results:
        check(r["domain"] in domains, "reported domain %r not in Table 3" % r["domain"])
        a = OrderedDict([("name", r["domain"])])
        for key, col in REPORTED_FIELDS:
            a[key] = raw(r[col])
        a["claims"] = claims_001(r)
        analyses.append(a)
    check(len(analyses) == 16, "seed 001: expected 16 reported analyses")
    check(sorted(a["name"] for a in analyses) == sorted(domains), "reported != domains")
    return OrderedDict([("analyses", analyses)])


def build_table2_001(chars):
    cols = ["Study", "Ref"] + [name for name, _ in T2_COLUMNS]
    rows = [[r["study_label"], r["ref_cited"]] + [r[c] for _, c in T2_COLUMNS] for r in chars]
    return OrderedDict([
        ("id", "table2"),
        ("title", "Table 2 | Study characteristics of randomized control trials"),
        ("columns", cols), ("rows", rows), ("footnote", T2_FOOTNOTE)])


def prisma_001(p):
    c = p["counts"]
    check(c["records_identified_total"]["value"] == 987, "seed 001 prisma changed")
    check(c["records_screened"]["implied_value"] == 987, "seed 001 prisma changed")
    return OrderedDict([
        ("template", "new"),
        ("records_identified", c["records_identified_total"]["value"]),
        ("duplicates_removed", None),
        ("automation_excluded", None),
        ("other_removed", None),
        ("records_screened", c["records_screened"]["implied_value"]),
        ("records_excluded", c["excluded_at_screening"]["value"]),
        ("reports_sought", None),
        ("reports_not_retrieved", None),
        ("reports_assessed", c["full_texts_assessed"]["value"]),
        ("reports_excluded", c["full_texts_excluded"]["value"]),
        ("exclusion_reasons", []),
        ("studies_included", c["included"]["value"]),
        ("reports_included", None),
        ("notes", [
            "Sources searched: " + ", ".join(p["sources_searched"]["value"])
            + "; per-source counts are not reported (Figure 1 is an image).",
            "records_screened = 987 is implied, not stated: the paper reports no duplicate "
            "removal, so all 987 identified records are taken to have gone to title/abstract "
            "review (987 - 780 = 207 is consistent with this).",
            "Kept as reported: 207 assessed - 169 excluded = 38, but 36 trials are included "
            "(2 unaccounted for).",
            "No reasons or per-reason counts are given for the 169 full-text exclusions.",
        ]),
    ])


def notes_001():
    return [
        "Data: seed-data extracts of the paper (ae_counts_001.csv = Table 3, "
        "study_characteristics_001.csv = Table 2, reported_results_001.csv = Results text, "
        "rob_001.csv = risk-of-bias paragraph, prisma.json). Counts are kept as printed, "
        "including suspected source errors.",
        "Study labels are the Table 3 labels as printed; outcome rows refer to studies by "
        "id and keep their printed label in the CSV column table3_label. Mappings: "
        "'Ercicum et al., 2019' and 'Epicum et al., 2019' (ref 27) -> erpicum2019 (Erpicum P "
        "et al. 2019; label 'Ercicum et al., 2019' as in Table 2, so the four 'Epicum' rows "
        "display as 'Ercicum'); 'Zhang et al., 2016' (ref 49) -> zhang2017 (Table 2 "
        "'Zhang et al., 2017', ref 30; refs 30 and 49 are the same paper, Zhang YC et al. "
        "2017; year field 2017); 'Shi et al., 2021' (ref 51) -> shi2021, the 219-patient DLC "
        "trial that Table 2 prints as 'Shi et al., 2012' with ref 29; 'Shi et al., 2012' "
        "(ref 29) -> shi2012 (ACLF, Table 2 row 5). Where Table 2 prints another label or "
        "reference, the study's characteristics hold it ('Table 2 label', 'Table 2 ref as "
        "printed').",
        "References as printed in Table 3 that differ from Table 2: Averyanov et al., 2020 "
        "cites 50 (Table 2: 17; refs 17 and 50 are the same paper); Zhu et al., 2024 cites 16 "
        "(Table 2 prints 46, which is Lanzoni 2021); one Laterre et al., 2024 row has no "
        "reference number. Reference list items 1-28 are unnumbered, item 29 does not exist, "
        "and 30 = 49, 17 = 50 are duplicates.",
        "Zhang et al., 2012 (ref 31) and Dhere et al., 2016 (ref 32) are in Table 2 but have "
        "no Table 3 rows, so 34 of the 36 trials supply adverse-event counts.",
        "Suspected source typos kept as printed: Averyanov 4/10 vs 1/1 (General disorders) "
        "and 2/10 vs 2/2 (SAEs deaths), where every other Averyanov control arm has 10; "
        "Zang et al., 2022 chest pain 2/12 vs 0/4 (denominators of Perico et al., 2023). The "
        "paper's General-disorders results are reproduced with the printed 1/1 and 2/12 "
        "vs 0/4 (with Averyanov 1/10 they are not: log OR 0.362, P = 0.110).",
        "Other Table 3 problems (see data/src/seed-data/ae_counts_001_issues.csv, 62 entries): "
        "Dawson et al., 2020 sub-rows (a) and (b) share one 61-patient control arm; Monsel "
        "(a)/(b) fever rows are possible duplicates, as is Lee 2010 'Local complications' in two "
        "domains; several rows repeat an event label with different counts; some events sit in "
        "an odd domain (anemia under nervous system, graft dysfunction under skin, infantile "
        "hemangiomas under vascular, pneumonia under gastrointestinal); the Lublin event text "
        "percentages do not match 6/12; 14 rows are double-zero.",
        "Stated RCT counts differ from Table 3: infections 20 stated vs 21 trials; renal 5 vs 6; "
        "gastrointestinal 5 vs 18; vascular 6 vs 5; deaths 9 vs 8; immune 3 vs 2; neoplasms "
        "5 vs 6. reported.studies_stated is the number printed.",
        "reported.k is not printed: it is the k implied by the printed studentized-residual "
        "bound (Bonferroni z(1 - 0.05/(2k))). It exceeds the Table 3 rows in five domains, so "
        "those analyses used comparisons missing from Table 3: immune 4 vs 3 ('allergy'), "
        "vascular 8 vs 7 ('local phlebitis'), gastrointestinal 40 vs 39, cardiac 19 vs 16, "
        "deaths 14 vs 13. These five domains cannot be reproduced from Table 3; renal "
        "reproduces except its Q P.",
        "Printed statistics that contradict themselves: deaths P = 0.37 with Z = -2.09 "
        "(-> 0.037) and a CI excluding 0, yet called non-significant; gastrointestinal "
        "Z = -0.00272 with P = 0.988 (-> 0.998); renal Q P 0.917 although Q = 0.895 on 5 df "
        "gives 0.971; hematological gives a regression-test P with k = 2.",
        "Wording against the numbers: the abstract calls nervous-system disorders "
        "statistically significant (P = 0.072) and infections an elevated risk with MSC "
        "(log OR -0.32); it says there is no publication bias although the regression tests "
        "give P = 0.044 (general) and 0.0183 (neoplasms). Methods say risk ratios but log odds "
        "ratios are reported, and mention 'intrathecal' for this intravenous analysis.",
        "Derived numeric characteristics (for meta-regression): follow_up_months is Table "
        "2's Follow-up (mon) as a number, with days and weeks converted at 30.4375 days per "
        "month (the printed text kept in its 'text'); Lanzoni et al., 2021 states none. "
        "patients_n is Table 2's Patient (n); Skyler et al., 2015 states none.",
        "Table 2: Patient (n) differs from T + C in 12 rows; Zhu et al., 2024 is printed with "
        "ref 46 (is 16); the 219-patient DLC row is printed 'Shi et al., 2012' with ref 29 (is "
        "Shi et al., 2021, ref 51); Lublin cells are malformed; the Source column appears "
        "shifted by one row from Bartolucci to Gu, and Country may be misaligned there too.",
        "Risk of bias is rebuilt from the paper's text (the RoB figure is an image): a study "
        "not named for a domain is 'low' by default, not by a stated judgment. Meng 2020 (ref "
        "35) is named both unclear and high for detection bias and is taken as unclear; the "
        "duplicated 'other bias' sentences are read as a union (see "
        "data/src/seed-data/rob_001_notes.md). The paragraph's 'ref 28' row is left out: it "
        "resolves to no included trial (list position 28 is Shi 2012, already rated via ref 29). "
        "The paragraph's percentages imply 37 studies, not 36.",
    ]


def build_001():
    chars = read_csv("study_characteristics_001.csv")
    counts = read_csv("ae_counts_001.csv")
    results = read_csv("reported_results_001.csv")
    rob = read_csv("rob_001.csv")
    prisma = read_json("prisma.json")["seeds"][SEED_001]

    studies, label_map, by_ref = build_studies_001(chars)
    rows, domains = build_outcomes_001(counts, studies, label_map)
    used = {r[0] for r in rows}
    check(len(used) == 34, "seed 001: expected 34 studies with outcome rows")
    check(used <= {s["id"] for s in studies}, "seed 001: outcome with unknown study")

    review = OrderedDict([
        ("safemeta_review", 1),
        ("metadata", OrderedDict([
            ("id", "msc-iv-rct"),
            ("title", "Safety of intravenous mesenchymal stem cell therapy: a meta-analysis "
                      "of randomized controlled trials"),
            ("authors", ["Habiba UE", "Greene DL", "Ahmad K", "Shamim S", "Khan N", "Umer A"]),
            ("date", "2025-05-12"),
            ("source", SEED_001),
            ("notes", notes_001()),
        ])),
        ("settings", OrderedDict([
            ("measure", "OR"), ("method", "DL"), ("test", "z"),
            ("add", 0.5), ("to", "only0"), ("level", 95),
            ("outcome_by", "domain"),
            ("arm_labels", ["MSC", "Control"]),
            ("outcome_label", "adverse events"),
        ])),
        ("studies", studies),
        ("outcomes", OrderedDict([("csv", "msc-iv-rct-outcomes.csv"),
                                  ("ignore", ["ref", "table3_label"])])),
        ("prisma", prisma_001(prisma)),
        ("risk_of_bias", build_rob_001(rob, by_ref, [s["id"] for s in studies])),
        ("tables", [build_table2_001(chars)]),
        ("reported", build_reported_001(results, domains)),
    ])
    return review, rows


# --------------------------------------------------------------------------
# Seed 002: Barmada et al. 2022, 70 IV MSC studies, serious adverse events

T1_002_FOOTNOTE = (
    "BM-MSCs: bone marrow-derived mesenchymal stem cells, UC-MSCs: umbilical cord-derived "
    "mesenchymal stem cells, AD-MSCs: adipose-derived mesenchymal stem cells, P-MSCs: "
    "placenta-derived mesenchymal stem cells. MS: multiple sclerosis, ALS: amyotrophic lateral "
    "sclerosis, RA: rheumatoid arthritis, ARDS: acute respiratory distress syndrome, IPF: "
    "idiopathic pulmonary fibrosis, MSA: multiple system atrophy, UK: unknown. "
    "[Transcription notes, not printed: by their reference titles De Jesus 2016, Wu 2017 and "
    "Hashemian 2021 are case reports/series, Lv 2013 combined cord blood mononuclear cells "
    "with UC-MSCs, and Fang 2019 (endothelial progenitor cells) and Wang 2017 (neural stem "
    "cells) are not MSC studies. Treated patients sum to 1,496 (not stated in the paper).]"
)


def build_002():
    rows = read_csv("iv_sae_studies_002.csv")
    prisma = read_json("prisma.json")["seeds"][SEED_002]
    check(len(rows) == 70, "seed 002: expected 70 studies")

    base = Counter((slug(r["author"]), r["year"]) for r in rows)
    studies, outcomes, table_rows = [], [], []
    for r in rows:
        sid = slug(r["author"]) + r["year"]
        if base[(slug(r["author"]), r["year"])] > 1:
            sid += "-r" + r["ref"]
        label = re.sub(r"\s*\[\d+\]\Z", "", r["author_year_as_printed"])
        char = OrderedDict([
            ("Condition", r["condition"]),
            ("Cell Type", r["cell_type"]),
            ("Dose (millions)", r["dose_text"]),
            ("Follow up (months)", r["follow_up_text"]),
            ("MSCs Related SAEs", r["msc_related_saes_text"]),
        ])
        if r["follow_up_months"].strip():  # the seed's derived number, for --mods
            v = float(r["follow_up_months"])
            char["follow_up_months"] = OrderedDict(
                [("value", int(v) if v == int(v) else v), ("unit", "months"),
                 ("text", r["follow_up_text"].strip())])
        if r["notes"]:
            char["Transcription note"] = r["notes"]
        studies.append(OrderedDict([("id", sid), ("label", label), ("year", int(r["year"])),
                                    ("ref", r["ref"]), ("characteristics", char)]))
        xi, ni = int(r["msc_related_saes"]), int(r["treated_patients"])
        check(0 <= xi <= ni, "seed 002: bad proportion for %s" % sid)
        outcomes.append(OrderedDict([("study", sid), ("xi", xi), ("ni", ni)]))
        table_rows.append([r["author_year_as_printed"], r["condition"], r["cell_type"],
                           r["dose_text"], r["treated_patients"], r["follow_up_text"],
                           r["msc_related_saes_text"]])
    ids = [s["id"] for s in studies]
    check(len(set(ids)) == 70, "seed 002: duplicate study ids")
    n_total = sum(o["ni"] for o in outcomes)
    x_total = sum(o["xi"] for o in outcomes)
    check((n_total, x_total) == (1496, 2), "seed 002: totals changed")

    c = prisma["counts"]
    check((c["records_identified_total"]["value"], c["excluded_total"]["value"],
           c["included"]["value"]) == (299, 229, 70), "seed 002 prisma changed")
    prisma_out = OrderedDict([
        ("template", "new"),
        ("databases", [OrderedDict([("name", "PubMed"), ("n", 299)])]),
        ("records_identified", 299),
        ("duplicates_removed", None),
        ("automation_excluded", None),
        ("other_removed", None),
        ("records_screened", None),
        ("records_excluded", 229),
        ("reports_sought", None),
        ("reports_not_retrieved", None),
        ("reports_assessed", None),
        ("reports_excluded", None),
        ("exclusion_reasons", []),
        ("studies_included", 70),
        ("reports_included", None),
        ("notes", [
            "The paper gives one exclusion step only: 299 identified, 229 excluded 'based on "
            "our exclusion criteria', 70 included (299 - 229 = 70). The 229 are entered as "
            "records excluded; no duplicate, screening or full-text counts are reported "
            "(titles and abstracts of all records were reviewed, so 299 were screened by "
            "implication).",
            "Single source, PubMed (disease-specific searches plus a general SAE search); "
            "no split between the searches is given.",
            "Exclusion reasons, without counts: " + "; ".join(c["exclusion_reasons"]["value"])
            + ".",
        ]),
    ])

    review = OrderedDict([
        ("safemeta_review", 1),
        ("metadata", OrderedDict([
            ("id", "iv-sae-70"),
            ("title", "Review of the Published Literature Confirms the Safety of Intravenous "
                      "Infusion of Mesenchymal Stem Cells"),
            ("authors", ["Barmada A", "Sharan J", "Band N", "Rumschlag T", "Yaqub A",
                         "Liebman E", "Prodromos C"]),
            ("date", "2022 (accepted 2022-06-28)"),
            ("source", SEED_002),
            ("notes", [
                "Outcome per study: MSC-related serious adverse events (xi) among treated "
                "patients (ni), from Table 1. Totals: 2 SAEs in 1,496 treated patients, all "
                "in one study (Wu et al. 2017: two upper-extremity thromboembolisms in 2 "
                "patients with renal disease). The total 1,496 is derived, not stated.",
                "Measure PFT (Freeman-Tukey double arcsine) with DerSimonian-Laird: the "
                "question is the incidence of SAEs per treated patient, and 69 of 70 studies "
                "have zero events (one has 2/2). PFT needs no continuity correction at 0 or ni "
                "and keeps a positive sampling variance there; PR gives 0/n and 2/2 a zero "
                "variance, which breaks inverse-variance weighting, and PLO needs a "
                "continuity correction that would dominate the estimate. The paper itself "
                "reports no pooled estimate, so there is nothing under 'reported'.",
                "The paper includes three case reports/series (De Jesus 2016, Wu 2017, "
                "Hashemian 2021) and one combination therapy (Lv 2013: cord blood "
                "mononuclear cells + UC-MSCs) although Methods exclude combined therapies.",
                "By their reference titles two rows are not MSC studies: Fang 2019 "
                "(endothelial progenitor cells) and Wang 2017 (neural stem cells).",
                "follow_up_months (a number with its unit, usable as a moderator) is the "
                "seed's derived follow-up in months, given only where Table 1 prints a single "
                "value; ranges and other forms stay text in 'Follow up (months)'.",
                "Spellings differ from the reference list: Llufriu/Llufrui, "
                "Makhlough/Makhloogh. Labels are as printed in Table 1.",
                "Cross-seed: Averyanov is 8 treated patients here but 10 in seed 001 "
                "(msc-iv-rct); Weiss 2013 is 31 here but 30 there.",
                "Two author-year pairs repeat (Wang 2013, Wang 2014), so their ids carry the "
                "reference number (e.g. wang2013-r32).",
            ]),
        ])),
        ("settings", OrderedDict([
            ("measure", "PFT"), ("method", "DL"), ("test", "z"), ("level", 95),
            ("outcome_label", "MSC-related serious adverse events"),
        ])),
        ("studies", studies),
        ("outcomes", outcomes),
        ("prisma", prisma_out),
        ("tables", [OrderedDict([
            ("id", "table1"),
            ("title", "Table 1. Included studies summary."),
            ("columns", ["Author/Year", "Condition", "Cell Type", "Dose (millions)",
                         "# of Treated Patients", "Follow up (months)", "MSCs Related SAEs"]),
            ("rows", table_rows),
            ("footnote", T1_002_FOOTNOTE),
        ])]),
    ])
    return review


# --------------------------------------------------------------------------
# Seed 003: Prodromos et al. 2025, tumorigenicity (no per-study rows)

def build_003():
    t = read_json("tumorigenicity_003.json")
    prisma = read_json("prisma.json")["seeds"][SEED_003]
    t1, t2 = t["table1"]["raw_rows_as_printed"], t["table2"]["raw_rows_as_printed"]
    c = prisma["counts"]
    per = c["records_identified_per_source"]
    check((c["records_identified_total"]["value"], c["duplicates_removed"]["value"],
           c["excluded_total"]["value"], c["included"]["value"],
           per["site_specific_search"]["value"], per["tumorigenicity_search"]["value"])
          == (487, 41, 229, 217, 300, 187), "seed 003 prisma changed")
    check(t["table2"]["derived_checks"]["studies_48_plus_167"] == 215, "seed 003 changed")

    tables = [
        OrderedDict([
            ("id", "table1"),
            ("title", t["table1"]["title"]),
            ("columns", t1[0]), ("rows", t1[1:]),
            ("footnote",
             "Counts and percentages are internally consistent (e.g. 12/4796 = 0.25%, "
             "6/2359 = 0.25%). Not explained in the paper: the non-controlled column has no "
             "control arm (N/A) yet carries p = 0.057, and the totals column carries "
             "p = 0.697; the stated test is a two-sided paired t-test on malignancy counts, "
             "with no pairing unit described. The text gives p = 0.82 for the controlled "
             "column. Percentages are in percent units."),
        ]),
        OrderedDict([
            ("id", "table2"),
            ("title", t["table2"]["title"]),
            ("columns", t2[0]), ("rows", t2[1:]),
            ("footnote",
             "As printed, the parts do not add up: 48 + 167 = 215 studies (stated n = 217) "
             "and 1526 + 5680 = 7206 patients (stated n = 7155); the percentages sum to "
             "99.08% (studies) and 100.72% (patients)."),
        ]),
    ]
    prisma_out = OrderedDict([
        ("template", "new"),
        ("databases", [
            OrderedDict([("name", "PubMed (site-specific search)"), ("n", 300)]),
            OrderedDict([("name", "PubMed (MSC and tumorigenicity search)"), ("n", 187)]),
        ]),
        ("records_identified", 487),
        ("duplicates_removed", 41),
        ("automation_excluded", None),
        ("other_removed", None),
        ("records_screened", 487),
        ("records_excluded", 229),
        ("reports_sought", None),
        ("reports_not_retrieved", None),
        ("reports_assessed", None),
        ("reports_excluded", None),
        ("exclusion_reasons", []),
        ("studies_included", 217),
        ("reports_included", None),
        ("notes", [
            "Kept as stated: the exclusion criteria were 'applied to the 487 articles' after "
            "41 duplicates were removed (487 - 41 = 446). 487 - 229 = 258, not 217; only "
            "487 - 41 - 229 = 217 balances, so the 229 exclusions must come from the 446 "
            "de-duplicated records.",
            "Only one exclusion count (229) is given, with no screening/full-text split; it "
            "is entered as records excluded.",
            "Exclusion reasons, without counts: "
            + "; ".join(c["exclusion_reasons"]["value"]) + ".",
            "The abstract calls the 217 included studies 'identified'.",
        ]),
    ])
    aggregate, comparisons = aggregate_003(t)
    review = OrderedDict([
        ("safemeta_review", 1),
        ("metadata", OrderedDict([
            ("id", "tumorigenicity"),
            ("title", "Mesenchymal Stem Cell Treatment Does Not Result in Tumor Formation: "
                      "A Systematic Review"),
            ("authors", ["Prodromos CC", "Nenchev K", "Pfeffer L"]),
            ("date", "2025-04-11"),
            ("source", SEED_003),
            ("notes", [
                "No per-study data are given, so there are no studies and no outcomes; the "
                "review's results are its Tables 1 and 2 (below) and stated totals: 12 "
                "malignancies among 4,796 MSC-treated patients and 6 among 2,359 controls "
                "in 217 studies (7,155 patients); follow-up 0-120 months, mean 13.92.",
                "Table 2 does not add up: 48 + 167 = 215 studies (stated 217), "
                "1,526 + 5,680 = 7,206 patients (stated 7,155); percentages sum to 99.08% "
                "and 100.72%.",
                "Table 1 is internally consistent, but p-values are given for the "
                "non-controlled column (no control arm) and the totals column without saying "
                "what was compared; a 'paired t-test' on malignancy counts is stated.",
                "PRISMA: 487 - 229 = 258, not 217; only 487 - 41 - 229 = 217 balances "
                "(see prisma.notes). The abstract calls the 217 included studies "
                "'identified'.",
                "The Discussion says 'over 4,500 patients receiving the treatment' (Table 1: "
                "4,796).",
            ]),
        ])),
        ("settings", OrderedDict([("arm_labels", ["MSC", "Control"])])),
        ("studies", []),
        ("prisma", prisma_out),
        ("tables", tables),
        ("aggregate_tables", aggregate),
        ("reported", OrderedDict([("comparisons", comparisons)])),
    ])
    return review


def aggregate_003(t):
    """Table 1 as two 2x2 comparisons of totals.  The MSC patients of the
    controlled studies are not printed: 5223 controlled-study patients less the
    2359 controls = 2864, which is also 4796 MSC patients less the 1932 of the
    non-controlled studies (all of whom received MSC)."""
    g = t["table1"]["study_groups"]
    msc, ctl = t["table1"]["msc_treatment_malignancies"], t["table1"]["control_treatment_malignancies"]
    n_msc_controlled = g["controlled"]["patients"] - ctl["patients_stated"]
    check(n_msc_controlled == msc["patients_stated"] - g["non_controlled"]["patients"]
          == 2864, "seed 003: controlled MSC patients do not come out as 2864")
    pv = {p["comparison"].split(":")[0]: p for p in t["p_values"]}
    controlled = pv["controlled studies"]
    check(controlled["test_stated"] == "two-sided paired t-test", "seed 003 test changed")
    tables = [
        OrderedDict([
            ("id", "controlled"),
            ("name", "Malignancies, controlled studies"),
            ("events_t", msc["controlled"]["n"]), ("n_t", n_msc_controlled),
            ("events_c", ctl["controlled"]["n"]), ("n_c", ctl["patients_stated"]),
            ("note", "Table 1, controlled studies (110 articles, 5223 patients): 6 malignancies "
                     "among MSC-treated and 6 among 2359 control patients; the MSC patients of "
                     "these studies, 2864, are 5223 - 2359 = 4796 - 1932 (not printed)."),
        ]),
        OrderedDict([
            ("id", "all"),
            ("name", "Malignancies, all studies (MSC) against controls"),
            ("events_t", msc["totals"]["n"]), ("n_t", msc["patients_stated"]),
            ("events_c", ctl["totals"]["n"]), ("n_c", ctl["patients_stated"]),
            ("note", "Table 1, totals: 12 malignancies among 4796 MSC-treated patients of "
                     "controlled and non-controlled studies, 6 among 2359 controls (the "
                     "non-controlled studies have no control arm)."),
        ]),
    ]
    comparisons = [
        OrderedDict([("table", "controlled"), ("test", "paired t-test"),
                     ("p", raw(controlled["p_table"])), ("quote", controlled["quote"])]),
        OrderedDict([("table", "all"), ("test", "not stated"),
                     ("p", raw(pv["all studies (totals column; comparator not stated)"]["p_table"]))]),
    ]
    return tables, comparisons


# --------------------------------------------------------------------------
# Seed 000: Sanford et al. 2026, allogeneic MSC narrative review

def table_000(tid, src, extra_col=None, footnote=None):
    cols = list(src["columns"])
    rows = []
    for r in src["rows"]:
        row = [r[c] for c in cols]
        if extra_col:
            row.append(r[extra_col[1]])
        rows.append(row)
    if extra_col:
        cols.append(extra_col[0])
    t = OrderedDict([("id", tid), ("title", src["title"]), ("columns", cols), ("rows", rows)])
    if footnote:
        t["footnote"] = footnote
    return t


def build_000():
    d = read_json("review_tables_000.json")
    prisma = read_json("prisma.json")["seeds"][SEED_000]
    check(all(v["value"] is None for k, v in prisma["counts"].items()
              if k != "included_meta_analyses"), "seed 000 prisma now has counts")
    ref_col = ("Reference (seed list; not printed)", "reference_in_seed")
    tables = [
        table_000("table1", d["table1_landmark_trials"], ref_col,
                  "NEPHSTROM and Matas et al. have no year and no reference-list entry. "
                  "The last column is added from the seed's reference list."),
        table_000("table2", d["table2_meta_analyses"], ref_col,
                  "The Introduction and Section 3.4 call the 2020 Thompson review the "
                  "'2019 update'. Section 3.4 says the 2021 meta-analysis found no increase in "
                  "central nervous system events, which this row does not list. The last "
                  "column is added from the seed's reference list."),
        table_000("table3", d["table3_safety_domains"]),
        table_000("table4", d["table4_strengths_limitations"], None,
                  d["table4_strengths_limitations"]["note"]),
    ]
    notes = [
        "Narrative systematic review: no de novo pooled analysis, so there are no studies "
        "and no outcomes; the evidence is in Tables 1-4.",
        "PRISMA 2020 is claimed, but no flow counts are given (Figure 1 is a 'conceptual' "
        "flow) and the number of included studies is never stated: Section 3.1 names 4 core "
        "anchor trials plus unnamed supportive studies, Table 1 lists 6 trials and Table 2 "
        "lists 3 meta-analyses.",
        "Supportive studies in dilated cardiomyopathy, lupus and COVID-19 ARDS are mentioned "
        "but neither tabulated nor referenced.",
        "The 2020 Thompson review is called the '2019 update'.",
        "NEPHSTROM and Matas et al. (Table 1) have no year and no reference.",
        "The risk-of-bias domain list (RoB 2-like: " + "; ".join(
            x if x else "(empty bullet)" for x in d["risk_of_bias_domains_as_printed"])
        + ") has an empty bullet, and no judgments are reported, so there is no "
        "risk_of_bias section.",
        "Secondary outcomes, abstract vs Methods: " + d["outcomes"]["differences"],
        "The abstract speaks of 'acute myocardial infarction studies' (plural) but only "
        "Hare et al., 2009 is tabulated for AMI.",
    ]
    review = OrderedDict([
        ("safemeta_review", 1),
        ("metadata", OrderedDict([
            ("id", "allogeneic-review"),
            ("title", "Safety of Allogeneic Mesenchymal Stromal Cell Therapy Across Human "
                      "Clinical Indications: A Systematic Review of Landmark Clinical Trials "
                      "and Published Safety Evidence"),
            ("authors", ["Sanford K", "Porras F", "Martínez F", "Ramos H", "Zamitiz J",
                         "Green C", "Ramsay E"]),
            ("date", "2026-03-18"),
            ("source", SEED_000),
            ("notes", notes),
        ])),
        ("studies", []),
        ("prisma", OrderedDict([
            ("template", "new"),
            ("records_identified", None),
            ("duplicates_removed", None),
            ("automation_excluded", None),
            ("other_removed", None),
            ("records_screened", None),
            ("records_excluded", None),
            ("reports_sought", None),
            ("reports_not_retrieved", None),
            ("reports_assessed", None),
            ("reports_excluded", None),
            ("exclusion_reasons", []),
            ("studies_included", None),
            ("reports_included", None),
            ("notes", [
                "Not reported: the paper claims PRISMA 2020 but gives no flow counts; its "
                "Figure 1 is a 'Conceptual Prisma Flow'. Every count is therefore null.",
                "Sources named: " + ", ".join(prisma["sources_searched"]["value"]) + ".",
                "Included: not stated (4 core anchor trials in Section 3.1, 6 trials in "
                "Table 1, 3 meta-analyses in Table 2).",
            ]),
        ])),
        ("tables", tables),
    ])
    return review


# --------------------------------------------------------------------------
# Validation of what was written (independent of the builders)

def valid_measured(v):
    """A numeric characteristic as FORMAT.md defines it."""
    return (isinstance(v, dict) and set(v) <= {"value", "unit", "text"} and
            isinstance(v.get("value"), (int, float)) and not isinstance(v["value"], bool) and
            all(isinstance(v[k], str) and v[k] for k in ("unit", "text") if k in v))


def validate(paths):
    def no_dup_keys(pairs):
        keys = [k for k, _ in pairs]
        check(len(keys) == len(set(keys)), "duplicate key in %r" % keys)
        return dict(pairs)

    loaded = {}
    for p in paths:
        with open(p, encoding="utf-8") as f:
            loaded[os.path.basename(p)] = json.load(f, object_pairs_hook=no_dup_keys)
    rct = loaded["msc-iv-rct.json"]
    ids = {s["id"] for s in rct["studies"]}
    labels = {s["label"] for s in rct["studies"]}
    with open(os.path.join(OUT, rct["outcomes"]["csv"]), encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    check(len(rows) == 236, "validate: 236 outcome rows")
    check(len({r["domain"] for r in rows}) == 16, "validate: 16 domains")
    check(all(r["study"] in ids for r in rows), "validate: outcome study not in studies")
    check(len(ids) == 36 and len(labels) == 36, "validate: 36 studies")
    check(len({r["study"] for r in rows}) == 34, "validate: 34 studies with outcomes")
    check({j["study"] for j in rct["risk_of_bias"]["judgments"]} == ids, "validate: RoB")
    check(len(rct["reported"]["analyses"]) == 16, "validate: 16 reported analyses")
    sae = loaded["iv-sae-70.json"]
    sids = {s["id"] for s in sae["studies"]}
    check(len(sids) == 70 and len(sae["outcomes"]) == 70, "validate: 70 studies")
    check(all(o["study"] in sids for o in sae["outcomes"]), "validate: 002 outcome study")
    for name, review in loaded.items():
        check(re.match(r"[A-Za-z0-9_-]+\Z", review["metadata"]["id"]) is not None,
              "validate: bad metadata.id in " + name)
        for s in review["studies"]:
            check(all(isinstance(v, str) or valid_measured(v)
                      for v in s.get("characteristics", {}).values()),
                  "validate: characteristic neither text nor {value, unit} in " + name)
        for t in review.get("tables", []):
            check(all(len(r) == len(t["columns"]) for r in t["rows"]),
                  "validate: ragged table %s in %s" % (t["id"], name))
            check(all(isinstance(c, str) for r in t["rows"] for c in r),
                  "validate: non-string cell in %s %s" % (name, t["id"]))


def main():
    try:
        rct, rct_rows = build_001()
        outputs = [
            ("msc-iv-rct.json", rct),
            ("iv-sae-70.json", build_002()),
            ("tumorigenicity.json", build_003()),
            ("allogeneic-review.json", build_000()),
        ]
        write_outcomes_csv_001(os.path.join(OUT, "msc-iv-rct-outcomes.csv"), rct_rows)
        paths = []
        for name, review in outputs:
            path = os.path.join(OUT, name)
            write_text(path, dump_json(review))
            paths.append(path)
        validate(paths)
    except BuildError as e:
        print("build_reviews: %s" % e, file=sys.stderr)
        return 1
    for name, _ in outputs:
        print("wrote data/%s" % name)
    print("wrote data/msc-iv-rct-outcomes.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
