"""VCR reference scoring, transcribed from lmms-eval (tasks/vcr_wiki/utils.py), VLMEvalKit
(dataset/vcr.py) and the VCR authors (src/evaluation/evaluation_metrics.py + utils.py), with a
pluggable tokenizer: spaCy's en_core_web_sm when it is importable and no token table is given,
otherwise a table text -> tokens supplied per case (a missing text is an error, never a guess).

Usage: python3 vcr_reference.py CASES.json OUT.jsonl   (see tests/fixtures/vectors/README.md)
"""
import json
import sys
from difflib import SequenceMatcher as SM

from nltk.util import ngrams

_SPACY = None


def make_tokenizer(table):
    """tokenize(text) -> list of token strings."""
    if table is None:
        global _SPACY
        if _SPACY is None:
            import spacy  # only where spaCy is installed

            _SPACY = spacy.load("en_core_web_sm")
        return lambda text: [t.text for t in _SPACY(text)]

    def lookup(text):
        if text not in table:
            raise KeyError("no tokens supplied for %r" % text)
        return list(table[text])

    return lookup


# --- refusal filters ---------------------------------------------------------------------

def lmms_eval_fast_filter(answer_text):
    # lmms-eval: True means "refused" (all metrics 0).
    if "I can't" in answer_text:
        return True
    elif "I cannot" in answer_text:
        return True
    elif "sorry" in answer_text.lower():
        return True
    if "无法" in answer_text:
        return True
    elif "抱歉" in answer_text:
        return True
    else:
        return False


def vlmevalkit_rough_filter(answer_text):
    # VLMEvalKit: True means "keep" (score normally).
    return not lmms_eval_fast_filter(answer_text)


def authors_rough_filter_cogvlm2_en(answer_text):
    # Authors' utils.rough_filter branch for THUDM/cogvlm2-llama3-chat-19B on English data.
    if "I can't" in answer_text:
        return False
    elif "I cannot" in answer_text:
        return False
    else:
        return True


# --- one blank ---------------------------------------------------------------------------

def zero(crossed_text):
    return {"crossed_text": crossed_text, "max_sim_val": 0, "max_sim_string": "", "jaccard": 0, "exact_match": 0}


def find_best_match(needle, hay, tokenize):
    """lmms-eval vcr_process_results_single (after its filter) == VLMEvalKit/authors find_best_match
    for English, minus precision/recall/f1/rouge, which no reported VCR number uses."""
    tokens_hay = tokenize(hay)
    tokens_needle = tokenize(needle)
    splitter = " "
    ngrams_ = ngrams(tokens_hay, len(tokens_needle))
    max_sim_val = 0
    max_sim_string = ""
    max_sim_ngram = []
    tokens_needle_set = set(tokens_needle)
    ngrams_hasjoint = [ngram for ngram in ngrams_ if not set(ngram).isdisjoint(tokens_needle_set)]
    for ngram in ngrams_hasjoint:
        hay_ngram = splitter.join(ngram)
        similarity = SM(None, hay_ngram, needle).ratio()
        if similarity > max_sim_val:
            max_sim_val = similarity
            max_sim_string = hay_ngram
            max_sim_ngram = ngram
    if len(max_sim_ngram) == 0:
        return zero(needle)
    pred_set = set(max_sim_ngram)
    ref_set = set(tokens_needle)
    correct_tokens = pred_set.intersection(ref_set)
    union = pred_set.union(ref_set)
    jaccard = len(correct_tokens) / len(union) if len(union) > 0 else 0
    exact_match = float(list(max_sim_ngram) == list(tokens_needle))
    return {
        "crossed_text": needle,
        "max_sim_val": max_sim_val,
        "max_sim_string": max_sim_string,
        "jaccard": jaccard,
        "exact_match": exact_match,
    }


def blank_lmms_eval(crossed_text, prediction, tokenize):
    # lmms-eval strips every generation (str.strip()) before process_results sees it.
    result = prediction.strip()
    if lmms_eval_fast_filter(result):
        return zero(crossed_text)
    return find_best_match(crossed_text, result, tokenize)


def blank_vlmevalkit(crossed_text, prediction, tokenize):
    result = prediction.split("Assistant: ")[-1]
    if vlmevalkit_rough_filter(result):
        return find_best_match(crossed_text, result, tokenize)
    return zero(crossed_text)


def blank_official(crossed_text, prediction, tokenize):
    result = prediction.split("Assistant: ")[-1]
    if authors_rough_filter_cogvlm2_en(result):
        return find_best_match(crossed_text, result, tokenize)
    return zero(crossed_text)


BLANK = {"lmms_eval": blank_lmms_eval, "vlmevalkit": blank_vlmevalkit, "official": blank_official}


def aggregate(samples, label, tokenize):
    """All three references: the mean over every blank of every sample (np.mean of a flat list)."""
    em, jac = [], []
    for s in samples:
        for crossed in s["crossed_text"]:
            r = BLANK[label](crossed, s["prediction"], tokenize)
            em.append(r["exact_match"])
            jac.append(r["jaccard"])
    return {"exact_match": sum(em) / len(em), "jaccard": sum(jac) / len(jac), "blanks": len(em)}


def blank_view(r):
    return {
        "exact_match": float(r["exact_match"]),
        "jaccard": float(r["jaccard"]),
        "max_sim_val": float(r["max_sim_val"]),
        "max_sim_string": r["max_sim_string"],
    }


def main(cases_path, out_path):
    with open(cases_path, encoding="utf-8") as f:
        cases = json.load(f)
    lines = []
    for case in cases:
        table = case.get("tokens")
        metric = case["metric"]
        tokenize = None if metric == "difflib.ratio" else make_tokenizer(table)
        inp = case["input"]
        if metric == "difflib.ratio":
            expected = {"python": SM(None, inp["a"], inp["b"]).ratio()}
        elif metric == "vcr.blank":
            expected = {
                label: blank_view(fn(inp["crossed_text"], inp["prediction"], tokenize)) for label, fn in BLANK.items()
            }
        elif metric == "vcr.aggregate":
            expected = {label: aggregate(inp["samples"], label, tokenize) for label in BLANK}
        else:
            raise ValueError("unknown metric " + metric)
        full_input = dict(inp)
        if table is not None:
            full_input["tokens"] = table
        lines.append(json.dumps({"metric": metric, "input": full_input, "expected": expected}, ensure_ascii=False))
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
