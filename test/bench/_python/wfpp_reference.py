"""Reference WFPP (METHODS.md) in Python's standard library, for `npm run bench -- wfpp`.
Reads one caption per line, keeps the top ratio·N by s = (1 − Π p_i)/n over the first 30
words, ties broken by index; writes the kept indices, prints one JSON line with timing."""
import json, math, re, sys, time

captions_file, ratio, t, out_file = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
# CLIP's pre-tokenisation (contractions, letter runs, single digits, punctuation runs).
WORD = re.compile(r"'s|'t|'re|'ve|'m|'ll|'d|[^\W\d_]+|\d|[^\s\w]+")
with open(captions_file, encoding="utf-8") as f:
    captions = f.read().split("\n")
if captions and captions[-1] == "":
    captions.pop()
t0 = time.perf_counter()
c0 = time.process_time()
tokens = [WORD.findall(c.lower()) for c in captions]
counts = {}
for ws in tokens:
    for w in ws:
        counts[w] = counts.get(w, 0) + 1
dictionary = {w: c for w, c in counts.items() if c >= 5}
total = sum(dictionary.values())
p = {}
for w, c in dictionary.items():
    v = 1 - math.sqrt(t / (c / total))
    p[w] = 1.0 if v < 0 else v
scores = []
for ws in tokens:
    ws = ws[:30]
    if not ws:
        scores.append(0.0)
        continue
    prod = 1.0
    for w in ws:
        prod *= p.get(w, 1.0)
    scores.append((1 - prod) / len(ws))
k = round(ratio * len(captions))
order = sorted(range(len(captions)), key=lambda i: (-scores[i], i))
kept = sorted(order[:k])
seconds = time.perf_counter() - t0
cpu_seconds = time.process_time() - c0
with open(out_file, "w") as f:
    f.write("\n".join(map(str, kept)))
print(json.dumps({"captions": len(captions), "kept": len(kept), "seconds": seconds, "cpuSeconds": cpu_seconds}))
