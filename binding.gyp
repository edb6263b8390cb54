{
  "targets": [
    {
      "target_name": "graphprof_native",
      "sources": [
        "native/src/addon.cc",
        "native/src/napi_args.cc",
        "native/src/job_worker.cc",
        "native/src/walk_binding.cc",
        "native/src/sgns_model.cc",
        "native/src/sgns_binding.cc",
        "native/src/node2vec_binding.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++14", "-std=gnu++17"],
      "cflags_cc": ["-std=c++17", "-O3", "-fno-math-errno", "-pthread"],
      "ldflags": ["-pthread"]
    }
  ]
}
