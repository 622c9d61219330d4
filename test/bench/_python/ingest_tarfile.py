"""Baseline for `npm run bench -- ingest`: Python's standard library (tarfile + sqlite3)
reading img2dataset webdataset shards into the same pairs table (metadata and captions,
no pixel decode), in batched transactions like ours. Prints one JSON line."""
import glob, json, os, resource, sqlite3, sys, tarfile, time

root, db_path = sys.argv[1], sys.argv[2]
db = sqlite3.connect(db_path)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=NORMAL")
db.execute("""CREATE TABLE pairs (id INTEGER PRIMARY KEY, dataset_id INTEGER, seq INTEGER, key TEXT, image_key TEXT,
  image_kind TEXT, image_path TEXT, image_member TEXT, image_offset INTEGER, image_size INTEGER, url TEXT, uid TEXT,
  caption TEXT, width INTEGER, height INTEGER, bytes INTEGER, hash TEXT, status TEXT, error_kind TEXT, error TEXT,
  unit INTEGER, UNIQUE (dataset_id, seq), UNIQUE (dataset_id, key))""")
t0 = time.perf_counter()
seq = 0
batch = []
def flush():
    global batch
    with db:
        db.executemany("INSERT INTO pairs (dataset_id, seq, key, image_key, image_kind, image_path, image_member, image_offset,"
                       " image_size, url, uid, caption, width, height, bytes, hash, status, unit)"
                       " VALUES (1,?,?,?,'tar',?,?,?,?,?,?,?,?,?,?,?,'ok',?)", batch)
    batch = []
for unit, shard in enumerate(sorted(glob.glob(os.path.join(root, "*.tar")))):
    rel = os.path.relpath(shard, root)
    samples = {}
    order = []
    with tarfile.open(shard, "r:") as tf:
        for m in tf:
            if not m.isfile():
                continue
            key, _, ext = m.name.partition(".")
            if key not in samples:
                samples[key] = {}
                order.append(key)
            s = samples[key]
            if ext in ("jpg", "png", "webp"):
                s["member"], s["offset"], s["size"] = m.name, m.offset_data, m.size
            elif ext == "txt":
                s["caption"] = tf.extractfile(m).read().decode("utf-8")
            elif ext == "json":
                s["meta"] = json.loads(tf.extractfile(m).read())
    for key in order:
        s = samples[key]
        meta = s.get("meta", {})
        batch.append((seq, key, key, rel, s.get("member"), s.get("offset"), s.get("size"), meta.get("url"), meta.get("uid"),
                      s.get("caption"), meta.get("width"), meta.get("height"), s.get("size"), meta.get("sha256"), unit))
        seq += 1
        if len(batch) >= 2000:
            flush()
flush()
seconds = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"pairs": seq, "seconds": seconds, "maxRssMB": rss}))
