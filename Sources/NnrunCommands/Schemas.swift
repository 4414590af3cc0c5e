/// The JSON Schemas (draft 2020-12) of the spec and results formats, as `nnrun schema`
/// prints them. Docs/schemas/ holds the same text; a test keeps the two identical.
enum Schemas {
    static let spec = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://nnrun.dev/schemas/spec-1.schema.json",
  "title": "nnrun spec, format version 1",
  "description": "A small neural network, its data and its training. See Docs/spec-format.md.",
  "type": "object",
  "additionalProperties": false,
  "required": ["nnrun", "name", "model", "data", "training"],
  "properties": {
    "nnrun": {"const": 1, "description": "The spec format version."},
    "name": {"type": "string", "minLength": 1},
    "description": {"type": "string"},
    "seed": {"$ref": "#/$defs/seed", "description": "Seeds every random draw that names no seed of its own."},
    "model": {"$ref": "#/$defs/model"},
    "data": {"$ref": "#/$defs/data"},
    "validation": {"$ref": "#/$defs/data", "description": "A held-out set, evaluated but never trained on."},
    "training": {"$ref": "#/$defs/training"},
    "record": {"$ref": "#/$defs/record"},
    "expect": {"$ref": "#/$defs/expect"},
    "sweep": {
      "type": "object",
      "description": "A grid: key paths of this spec, each with the values to try (nnrun sweep; Docs/scaling.md).",
      "minProperties": 1,
      "propertyNames": {"pattern": "^[A-Za-z_][A-Za-z0-9_]*(\\[[0-9]+\\])*(\\.[A-Za-z_][A-Za-z0-9_]*(\\[[0-9]+\\])*)*$"},
      "additionalProperties": {
        "type": "array",
        "minItems": 1,
        "items": {"type": ["number", "string", "boolean"]}
      }
    }
  },
  "$defs": {
    "seed": {"type": "integer", "minimum": 0},
    "numbers": {"type": "array", "items": {"type": "number"}},
    "names": {"type": "array", "items": {"type": "string", "minLength": 1}},
    "model": {
      "type": "object",
      "additionalProperties": false,
      "required": ["inputs", "layers"],
      "properties": {
        "inputs": {"type": "integer", "minimum": 1},
        "layers": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/layer"}}
      }
    },
    "layer": {
      "type": "object",
      "additionalProperties": false,
      "required": ["name", "units", "activation", "weights"],
      "properties": {
        "name": {"type": "string", "minLength": 1},
        "units": {"type": "integer", "minimum": 1, "maximum": 1000000},
        "activation": {"enum": ["sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax"]},
        "alpha": {"type": "number", "minimum": 0, "exclusiveMaximum": 1, "description": "leaky_relu only; default 0.01."},
        "weights": {
          "description": "One row per unit, one number per input (PyTorch Linear layout), or an initializer.",
          "oneOf": [
            {"type": "array", "items": {"$ref": "#/$defs/numbers"}},
            {"$ref": "#/$defs/initializer"}
          ]
        },
        "bias": {
          "description": "A number: one bias shared by every unit. A list: one per unit. Omitted: no bias.",
          "oneOf": [{"type": "number"}, {"$ref": "#/$defs/numbers"}]
        }
      }
    },
    "initializer": {
      "type": "object",
      "additionalProperties": false,
      "required": ["init"],
      "properties": {
        "init": {"enum": ["uniform", "normal", "xavier_uniform", "xavier_normal", "he_uniform", "he_normal"]},
        "seed": {"$ref": "#/$defs/seed"},
        "low": {"type": "number"},
        "high": {"type": "number"},
        "mean": {"type": "number"},
        "std": {"type": "number", "minimum": 0}
      }
    },
    "data": {
      "oneOf": [
        {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/sample"}},
        {"$ref": "#/$defs/csv"},
        {"$ref": "#/$defs/npy"}
      ]
    },
    "sample": {
      "type": "object",
      "additionalProperties": false,
      "required": ["inputs", "targets"],
      "properties": {"inputs": {"$ref": "#/$defs/numbers"}, "targets": {"$ref": "#/$defs/numbers"}}
    },
    "csv": {
      "type": "object",
      "additionalProperties": false,
      "required": ["csv", "inputs"],
      "properties": {
        "csv": {"type": "string", "minLength": 1, "description": "Path relative to the spec's folder."},
        "inputs": {"$ref": "#/$defs/names"},
        "targets": {"$ref": "#/$defs/names"},
        "one_hot": {
          "type": "object",
          "additionalProperties": false,
          "required": ["column", "classes"],
          "properties": {"column": {"type": "string"}, "classes": {"$ref": "#/$defs/names"}}
        }
      },
      "oneOf": [{"required": ["targets"]}, {"required": ["one_hot"]}]
    },
    "npy": {
      "type": "object",
      "additionalProperties": false,
      "required": ["npy"],
      "properties": {
        "npy": {
          "type": "object",
          "description": "NumPy .npy files (format 1.0, 2.0 or 3.0), paths relative to the spec's folder.",
          "additionalProperties": false,
          "required": ["inputs", "targets"],
          "properties": {
            "inputs": {"type": "string", "minLength": 1, "description": "float64 or float32, shape (N, model.inputs); (N,) with one input."},
            "targets": {"type": "string", "minLength": 1, "description": "float64 or float32, shape (N, output units), (N,) with one unit; or integer class labels, shape (N,), expanded one-hot."}
          }
        }
      }
    },
    "training": {
      "type": "object",
      "additionalProperties": false,
      "required": ["loss", "learning_rate"],
      "oneOf": [{"required": ["steps"]}, {"required": ["epochs"]}],
      "properties": {
        "loss": {"enum": ["half_squared_error", "mse", "binary_cross_entropy", "cross_entropy"]},
        "optimizer": {
          "oneOf": [
            {"enum": ["sgd", "adam"]},
            {
              "type": "object",
              "additionalProperties": false,
              "required": ["name"],
              "properties": {
                "name": {"enum": ["sgd", "adam"]},
                "momentum": {"type": "number", "minimum": 0},
                "nesterov": {"type": "boolean"},
                "weight_decay": {"type": "number", "minimum": 0},
                "beta1": {"type": "number", "minimum": 0, "exclusiveMaximum": 1},
                "beta2": {"type": "number", "minimum": 0, "exclusiveMaximum": 1},
                "epsilon": {"type": "number", "minimum": 0}
              }
            }
          ]
        },
        "learning_rate": {"type": "number", "exclusiveMinimum": 0},
        "steps": {"type": "integer", "minimum": 1},
        "epochs": {"type": "integer", "minimum": 1},
        "train_biases": {"type": "boolean"},
        "batch": {"oneOf": [{"enum": ["full", "online"]}, {"type": "integer", "minimum": 1}]},
        "shuffle": {
          "type": "object",
          "additionalProperties": false,
          "properties": {"seed": {"$ref": "#/$defs/seed"}}
        },
        "update": {"enum": ["deferred", "immediate"]}
      }
    },
    "record": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "every": {"type": "integer", "minimum": 1},
        "trace": {"type": "array", "maxItems": 1000, "items": {"type": "integer", "minimum": 1}}
      }
    },
    "expect": {
      "oneOf": [
        {"type": "array", "items": {"$ref": "#/$defs/check"}},
        {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "tolerance": {"$ref": "#/$defs/tolerance"},
            "checks": {"type": "array", "items": {"$ref": "#/$defs/check"}}
          }
        }
      ]
    },
    "check": {
      "type": "object",
      "additionalProperties": false,
      "required": ["at", "quantity", "value"],
      "properties": {
        "at": {"oneOf": [{"type": "integer", "minimum": 0}, {"const": "final"}]},
        "quantity": {
          "type": "string",
          "pattern": "^(loss|accuracy|validation_loss|validation_accuracy|outputs|layers\\.[^.\\[\\]]+\\.(weights|bias)|trace\\.(sample_losses|output_losses)|trace\\.[^.\\[\\]]+\\.(net|out|d_out|d_out_d_net|delta|weight_gradient|bias_gradient))(\\[[0-9]+\\])*$"
        },
        "value": {"$ref": "#/$defs/value"},
        "tolerance": {"$ref": "#/$defs/tolerance"}
      }
    },
    "value": {"oneOf": [{"type": "number"}, {"type": "array", "items": {"$ref": "#/$defs/value"}}]},
    "tolerance": {
      "oneOf": [
        {"type": "object", "additionalProperties": false, "required": ["abs"], "properties": {"abs": {"type": "number", "minimum": 0}}},
        {"type": "object", "additionalProperties": false, "required": ["rel"], "properties": {"rel": {"type": "number", "minimum": 0}}}
      ]
    }
  }
}
"""#

    static let results = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://nnrun.dev/schemas/results-1.schema.json",
  "title": "nnrun results file, format nnrun.results/1",
  "description": "What a run produced. See Docs/results-format.md. Non-finite numbers are written as null.",
  "type": "object",
  "additionalProperties": false,
  "required": ["format", "math_version", "spec", "status", "steps", "initial", "final", "history", "trace", "checks"],
  "properties": {
    "format": {"const": "nnrun.results/1"},
    "math_version": {"type": "integer", "minimum": 1, "description": "the version of nnrun's elementary functions (Docs/math.md)"},
    "spec": {
      "type": "object",
      "additionalProperties": false,
      "required": ["name", "path", "sha256"],
      "properties": {
        "name": {"type": "string"},
        "path": {"type": "string"},
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}
      }
    },
    "status": {"enum": ["completed", "diverged", "interrupted"]},
    "divergence": {
      "type": "object",
      "additionalProperties": false,
      "required": ["step", "layer", "quantity"],
      "properties": {
        "step": {"type": "integer", "minimum": 1},
        "layer": {"type": ["string", "null"]},
        "quantity": {"enum": ["weights", "bias", "weight_gradient", "bias_gradient", "loss"]}
      }
    },
    "steps": {"type": "integer", "minimum": 0},
    "initial": {"$ref": "#/$defs/evaluation"},
    "final": {
      "allOf": [{"$ref": "#/$defs/evaluation"}],
      "required": ["step"]
    },
    "history": {
      "type": "object",
      "additionalProperties": false,
      "required": ["step", "loss"],
      "properties": {
        "step": {"type": "array", "items": {"type": "integer", "minimum": 0}},
        "loss": {"$ref": "#/$defs/numbers"},
        "accuracy": {"$ref": "#/$defs/numbers"},
        "validation_loss": {"$ref": "#/$defs/numbers"},
        "validation_accuracy": {"$ref": "#/$defs/numbers"}
      }
    },
    "trace": {"type": "array", "items": {"$ref": "#/$defs/traceStep"}},
    "checks": {"type": "array", "items": {"$ref": "#/$defs/check"}},
    "timing": {
      "type": "object",
      "additionalProperties": false,
      "required": ["training_seconds"],
      "properties": {"training_seconds": {"type": "number", "minimum": 0}}
    }
  },
  "$defs": {
    "number": {"type": ["number", "null"]},
    "numbers": {"type": "array", "items": {"$ref": "#/$defs/number"}},
    "matrix": {"type": "array", "items": {"$ref": "#/$defs/numbers"}},
    "evaluation": {
      "type": "object",
      "additionalProperties": false,
      "required": ["loss", "outputs", "layers"],
      "properties": {
        "step": {"type": "integer", "minimum": 0},
        "loss": {"$ref": "#/$defs/number"},
        "accuracy": {"$ref": "#/$defs/number"},
        "validation_loss": {"$ref": "#/$defs/number"},
        "validation_accuracy": {"$ref": "#/$defs/number"},
        "outputs": {"$ref": "#/$defs/matrix"},
        "layers": {"type": "array", "items": {"$ref": "#/$defs/layer"}}
      }
    },
    "layer": {
      "type": "object",
      "additionalProperties": false,
      "required": ["name", "weights", "bias", "bias_shared"],
      "properties": {
        "name": {"type": "string"},
        "weights": {"$ref": "#/$defs/matrix"},
        "bias": {"oneOf": [{"$ref": "#/$defs/numbers"}, {"type": "null"}]},
        "bias_shared": {"type": "boolean"}
      }
    },
    "traceStep": {
      "type": "object",
      "additionalProperties": false,
      "required": ["step", "loss", "samples", "layers"],
      "properties": {
        "step": {"type": "integer", "minimum": 1},
        "loss": {"$ref": "#/$defs/number"},
        "samples": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["index", "loss", "output_losses"],
            "properties": {
              "index": {"type": "integer", "minimum": 0},
              "loss": {"$ref": "#/$defs/number"},
              "output_losses": {"$ref": "#/$defs/numbers"}
            }
          }
        },
        "layers": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["name", "net", "out", "d_out", "d_out_d_net", "delta", "weight_gradient", "bias_gradient", "weights", "bias"],
            "properties": {
              "name": {"type": "string"},
              "net": {"$ref": "#/$defs/matrix"},
              "out": {"$ref": "#/$defs/matrix"},
              "d_out": {"$ref": "#/$defs/matrix"},
              "d_out_d_net": {"$ref": "#/$defs/matrix"},
              "delta": {"$ref": "#/$defs/matrix"},
              "weight_gradient": {"$ref": "#/$defs/matrix"},
              "bias_gradient": {"oneOf": [{"$ref": "#/$defs/numbers"}, {"type": "null"}]},
              "weights": {"$ref": "#/$defs/matrix"},
              "bias": {"oneOf": [{"$ref": "#/$defs/numbers"}, {"type": "null"}]}
            }
          }
        }
      }
    },
    "value": {"oneOf": [{"$ref": "#/$defs/number"}, {"type": "array", "items": {"$ref": "#/$defs/value"}}]},
    "check": {
      "type": "object",
      "additionalProperties": false,
      "required": ["quantity", "at", "line", "passed", "expected", "actual", "tolerance"],
      "properties": {
        "quantity": {"type": "string"},
        "at": {"oneOf": [{"type": "integer", "minimum": 0}, {"const": "final"}]},
        "line": {"type": "integer", "minimum": 1},
        "passed": {"type": "boolean"},
        "expected": {"$ref": "#/$defs/value"},
        "actual": {"oneOf": [{"$ref": "#/$defs/value"}, {"type": "null"}]},
        "tolerance": {
          "oneOf": [
            {"type": "object", "additionalProperties": false, "required": ["abs"], "properties": {"abs": {"type": "number"}}},
            {"type": "object", "additionalProperties": false, "required": ["rel"], "properties": {"rel": {"type": "number"}}}
          ]
        }
      }
    }
  }
}
"""#
}
