"""faiss and scikit-learn k-means on the matrix the TS benchmark wrote (test/bench/kmeans.ts).

Usage: /usr/bin/python3 kmeans_baselines.py X.npy K ITERS SEED [ours_centroids.npy [ours_seeds.npy]]
       [--skip-sklearn]
Prints one JSON line: seconds per iteration, final inertia of each method's centroids
(all evaluated the same way: exact nearest-centroid search over every row), and the
inertia of our centroids under the same evaluator. With our seeds, faiss also runs from
them (init_centroids): same starting point, so the inertias should agree closely.
"""
import json
import os
import sys
import time

import numpy as np


def inertia_of(x, centroids):
    import faiss

    index = faiss.IndexFlatL2(x.shape[1])
    index.add(np.ascontiguousarray(centroids, dtype=np.float32))
    total = 0.0
    for s in range(0, x.shape[0], 65536):
        d, _ = index.search(x[s : s + 65536], 1)
        total += float(d.astype(np.float64).sum())
    return total


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    flags = {a for a in sys.argv[1:] if a.startswith("--")}
    x = np.ascontiguousarray(np.load(args[0]), dtype=np.float32)
    k, iters, seed = int(args[1]), int(args[2]), int(args[3])
    ours = np.load(args[4]) if len(args) > 4 else None
    seeds = np.load(args[5]) if len(args) > 5 else None
    threads = os.cpu_count() or 1
    out = {"threads": threads}

    import faiss

    faiss.omp_set_num_threads(threads)
    # max_points_per_centroid: no subsampling, every row is used as in ours and sklearn
    km = faiss.Kmeans(x.shape[1], k, niter=iters, seed=seed, nredo=1, verbose=False,
                      max_points_per_centroid=x.shape[0] + 1, spherical=False)
    t = time.perf_counter()
    km.train(x)
    train = time.perf_counter() - t
    t = time.perf_counter()
    km.index.search(x, 1)  # labels for every row: what our kmeans also returns
    search = time.perf_counter() - t
    out["faiss_train_s"] = train
    out["faiss_labels_s"] = search
    out["faiss_s_per_iter"] = train / iters
    out["faiss_inertia"] = inertia_of(x, km.centroids)
    out["faiss_last_obj"] = float(km.obj[-1]) if len(km.obj) else None

    if seeds is not None:
        km2 = faiss.Kmeans(x.shape[1], k, niter=iters, seed=seed, nredo=1, verbose=False,
                           max_points_per_centroid=x.shape[0] + 1, spherical=False)
        t = time.perf_counter()
        km2.train(x, init_centroids=np.ascontiguousarray(seeds, dtype=np.float32))
        out["faiss_same_seeds_train_s"] = time.perf_counter() - t
        out["faiss_same_seeds_inertia"] = inertia_of(x, km2.centroids)

    if "--skip-sklearn" not in flags:
        from sklearn.cluster import KMeans
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=threads):
            skm = KMeans(n_clusters=k, init="k-means++", n_init=1, max_iter=iters, tol=0.0,
                         algorithm="lloyd", random_state=seed)
            t = time.perf_counter()
            skm.fit(x)
            fit = time.perf_counter() - t
        out["sklearn_fit_s"] = fit
        out["sklearn_iters"] = int(skm.n_iter_)
        out["sklearn_s_per_iter"] = fit / iters
        out["sklearn_inertia"] = inertia_of(x, skm.cluster_centers_)

    if ours is not None:
        out["ours_inertia_eval"] = inertia_of(x, ours)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
