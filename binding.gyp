{
  "targets": [
    {
      "target_name": "graphprof_native",
      "sources": [
        "native/src/addon.cc",
        "native/src/walk.cc",
        "native/src/sgns.cc"
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
