"""Reference scorers in plain Python, for `npm run bench -- cli` to time side by side with cogeval.

Written from the scoring rules in docs/scoring.md: ChartQA relaxed accuracy (lmms-eval, section 7)
and MMMU (official parser, section 9: multiple-choice letter parsing with the seeded random guess,
open-answer parsing). Usage: python3 python_reference_scorers.py BENCH FILE.jsonl REPEATS
Prints JSON: {"bench", "items", "accuracy", "ms": [per repeat, scoring only, records in memory]}.
"""
import ast
import json
import random
import re
import sys
import time


# ---- ChartQA (docs/scoring.md section 7) ------------------------------------------------------
def _to_float(text):
    try:
        if text.endswith("%"):
            return float(text.rstrip("%")) / 100.0
        return float(text)
    except ValueError:
        return None


def relaxed_correctness(target, prediction, max_relative_change=0.05):
    prediction_float = _to_float(prediction)
    target_float = _to_float(target)
    if prediction_float is not None and target_float:
        relative_change = abs(prediction_float - target_float) / abs(target_float)
        return relative_change <= max_relative_change
    return prediction.lower() == target.lower()


def score_chartqa(records):
    return [1.0 if relaxed_correctness(r["answer"], r["prediction"].strip()) else 0.0 for r in records]


# ---- MMMU, official parser (docs/scoring.md section 9) ----------------------------------------
def parse_multi_choice_response(response, all_choices, index2ans):
    for char in [",", ".", "!", "?", ";", ":", "'"]:
        response = response.strip(char)
    response = " " + response + " "
    index_ans = True
    ans_with_brack = False
    candidates = []
    for choice in all_choices:
        if f"({choice})" in response:
            candidates.append(choice)
            ans_with_brack = True
    if len(candidates) == 0:
        for choice in all_choices:
            if f" {choice} " in response:
                candidates.append(choice)
    if len(candidates) == 0 and len(response.split()) > 5:
        for index, ans in index2ans.items():
            if ans.lower() in response.lower():
                candidates.append(index)
                index_ans = False
    if len(candidates) == 0:
        return random.choice(all_choices)
    if len(candidates) > 1:
        start_indexes = []
        if index_ans:
            if ans_with_brack:
                for can in candidates:
                    start_indexes.append(response.rfind(f"({can})"))
            else:
                for can in candidates:
                    start_indexes.append(response.rfind(f" {can} "))
        else:
            for can in candidates:
                start_indexes.append(response.lower().rfind(index2ans[can].lower()))
        return candidates[start_indexes.index(max(start_indexes))]
    return candidates[0]


def check_is_number(string):
    try:
        float(string.replace(",", ""))
        return True
    except ValueError:
        return False


def normalize_str(string):
    string = string.strip()
    if check_is_number(string):
        string = string.replace(",", "")
        return [round(float(string), 2)]
    string = string.lower()
    if len(string) == 1:
        return [" " + string, string + " "]
    return [string]


def extract_numbers(string):
    pattern_commas = r"-?\b\d{1,3}(?:,\d{3})+\b"
    pattern_scientific = r"-?\d+(?:\.\d+)?[eE][+-]?\d+"
    pattern_simple = r"-?(?:\d+\.\d+|\.\d+|\d+\b)(?![eE][+-]?\d+)(?![,\d])"
    return re.findall(pattern_commas, string) + re.findall(pattern_scientific, string) + re.findall(pattern_simple, string)


def parse_open_response(response):
    def get_key_subresponses(response):
        response = response.strip().strip(".").lower()
        sub_responses = re.split(r"\.\s(?=[A-Z])|\n", response)
        indicators_of_keys = ["could be ", "so ", "is ", "thus ", "therefore ", "final ", "answer ", "result "]
        key_responses = []
        for index, resp in enumerate(sub_responses):
            if index == len(sub_responses) - 1:
                indicators_of_keys.extend(["="])
            shortest_key_response = None
            for indicator in indicators_of_keys:
                if indicator in resp:
                    if not shortest_key_response:
                        shortest_key_response = resp.split(indicator)[-1].strip()
                    elif len(resp.split(indicator)[-1].strip()) < len(shortest_key_response):
                        shortest_key_response = resp.split(indicator)[-1].strip()
            if shortest_key_response and shortest_key_response.strip() not in [":", ",", ".", "!", "?", ";", ":", "'"]:
                key_responses.append(shortest_key_response)
        if len(key_responses) == 0:
            return [response]
        return key_responses

    key_responses = get_key_subresponses(response)
    pred_list = key_responses.copy()
    for resp in key_responses:
        pred_list.extend(extract_numbers(resp))
    tmp_pred_list = []
    for i in range(len(pred_list)):
        tmp_pred_list.extend(normalize_str(pred_list[i]))
    return list(set(tmp_pred_list))


def eval_open(gold_i, pred_i):
    correct = False
    if isinstance(gold_i, list):
        norm_answers = []
        for answer in gold_i:
            norm_answers.extend(normalize_str(answer))
    else:
        norm_answers = normalize_str(gold_i)
    for pred in pred_i:
        if isinstance(pred, str):
            for norm_ans in norm_answers:
                if isinstance(norm_ans, str) and norm_ans in pred:
                    if not correct:
                        correct = True
                    break
        else:
            if pred in norm_answers:
                if not correct:
                    correct = True
                break
    return correct


# The authors' pipeline meets the subjects in CAT_SHORT2LONG's order (their data_utils.py) and the
# questions of a subject by dataset number, so the seeded guesses are drawn in that order.
CAT_ORDER = [
    "Accounting", "Agriculture", "Architecture_and_Engineering", "Art", "Art_Theory", "Basic_Medical_Science", "Biology",
    "Chemistry", "Clinical_Medicine", "Computer_Science", "Design", "Diagnostics_and_Laboratory_Medicine", "Economics",
    "Electronics", "Energy_and_Power", "Finance", "Geography", "History", "Literature", "Manage", "Marketing", "Materials",
    "Math", "Mechanical_Engineering", "Music", "Pharmacy", "Physics", "Psychology", "Public_Health", "Sociology",
]


def _authors_key(pair):
    i, r = pair
    m = re.match(r"^([^_]+)_(.+?)_\d+$", r.get("id", ""))
    subject = r.get("subject") or (m.group(2) if m else "")
    rank = CAT_ORDER.index(subject) if subject in CAT_ORDER else len(CAT_ORDER)
    m = re.search(r"_(\d+)$", r.get("id", ""))
    return (rank, subject, int(m.group(1)) if m else float("inf"), i)


def score_mmmu(records):
    random.seed(42)
    out = [0.0] * len(records)
    for i, r in sorted(enumerate(records), key=_authors_key):
        if r["question_type"] == "multiple-choice":
            options = ast.literal_eval(r["options"])
            letters = [chr(ord("A") + k) for k in range(len(options))]
            index2ans = dict(zip(letters, options))
            letter = parse_multi_choice_response(r["prediction"], letters, index2ans)
            out[i] = 1.0 if letter == r["answer"] else 0.0
        else:
            out[i] = 1.0 if eval_open(r["answer"], parse_open_response(r["prediction"])) else 0.0
    return out


SCORERS = {"chartqa": score_chartqa, "mmmu": score_mmmu}


def main():
    bench, path, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(path, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    times = []
    values = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        values = SCORERS[bench](records)
        times.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"bench": bench, "items": len(records), "accuracy": sum(values) / len(values), "ms": times}))


if __name__ == "__main__":
    main()
