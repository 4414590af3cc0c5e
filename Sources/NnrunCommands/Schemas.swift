/// The JSON Schemas (draft 2020-12) of the spec and results formats and of `nnrun plan
/// --format json`, as `nnrun schema` prints them. Docs/schemas/ holds the same text; a test keeps the two identical.
enum Schemas {
    static let spec = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://nnrun.dev/schemas/spec-1.schema.json",
  "title": "nnrun spec, format versions 1 and 2",
  "description": "A small neural network, its data and its training. See Docs/spec-format.md. YAML is read with YAML 1.2's core schema, as editors read it; nnrun reads names from any scalar, so 0, true and ~ are names where a name belongs. The schema never refuses a spec nnrun accepts; nnrun's own validation checks what a schema cannot (shapes, the output layer, files, number spelling).",
  "$comment": "A spec that extends another is checked only for its top-level keys: its sections may be partial and its format may come from the base, which a schema cannot see; nnrun validate checks the merged spec (Docs/spec-format.md#extends).",
  "if": {"type": "object", "required": ["extends"]},
  "then": {
    "type": "object",
    "propertyNames": {"enum": ["extends", "nnrun", "name", "description", "seed", "init_from", "model", "data", "validation", "training", "record", "expect", "sweep"]},
    "properties": {"extends": {"type": "string", "minLength": 1, "description": "A base spec this one is merged over, relative to this file's folder (Docs/spec-format.md#extends)."}}
  },
  "else": {"$ref": "#/$defs/spec"},
  "$defs": {
    "spec": {
      "type": "object",
      "additionalProperties": false,
      "required": ["nnrun", "name", "model", "data", "training"],
      "properties": {
        "extends": {"type": "string", "minLength": 1, "description": "A base spec this one is merged over, relative to this file's folder (Docs/spec-format.md#extends)."},
        "nnrun": {"enum": [1, 2], "description": "The spec format version. Format 2 gives a layer without 'bias' a trained bias per unit starting at 0, names unnamed layers layer1, layer2, ..., and draws omitted weights from glorot_uniform seeded by 'seed'."},
        "name": {"$ref": "#/$defs/visibleName"},
        "description": {"$ref": "#/$defs/text"},
        "seed": {"$ref": "#/$defs/seed", "description": "Seeds every random draw that names no seed of its own."},
        "init_from": {"$ref": "#/$defs/path", "description": "Format 2: a results file whose final parameters are every layer's initial ones (same layer names and shapes)."},
        "model": {"$ref": "#/$defs/model"},
        "data": {"$ref": "#/$defs/data"},
        "validation": {
          "description": "A held-out set, evaluated but never trained on; or {split, seed}: part of data held out (Docs/spec-format.md#validation-split).",
          "oneOf": [
            {"allOf": [{"$ref": "#/$defs/data"}, {"not": {"type": "object", "required": ["scale"]}}]},
            {"$ref": "#/$defs/validationSplit"}
          ]
        },
        "training": {"$ref": "#/$defs/training"},
        "record": {"$ref": "#/$defs/record"},
        "expect": {"$ref": "#/$defs/expect"},
        "sweep": {
          "type": "object",
          "description": "A grid: key paths of this spec, each with the values to try (nnrun sweep; Docs/scaling.md).",
          "minProperties": 1,
          "propertyNames": {
            "pattern": "^[A-Za-z_][A-Za-z0-9_]*(\\[(\\+?[0-9]+|-0+)\\])*(\\.[A-Za-z_][A-Za-z0-9_]*(\\[(\\+?[0-9]+|-0+)\\])*)*$",
            "not": {"pattern": "^sweep([.\\[]|$)"}
          },
          "additionalProperties": {
            "type": "array",
            "minItems": 1,
            "items": {"type": ["number", "string", "boolean", "null"]}
          }
        }
      },
      "allOf": [
        {
          "$comment": "Format 1: every layer names itself and writes its weights; no format 2 forms.",
          "if": {"properties": {"nnrun": {"const": 1}}, "required": ["nnrun"]},
          "then": {
            "not": {"required": ["init_from"]},
            "properties": {"model": {"properties": {"layers": {"items": {
              "required": ["name", "weights"],
              "properties": {
                "weights": {"not": {"$ref": "#/$defs/parameterFile"}},
                "bias": {"oneOf": [{"type": "number"}, {"$ref": "#/$defs/someNumbers"}]}
              }
            }}}}}
          }
        },
        {
          "$comment": "Format 2 without init_from or a spec seed: omitted weights would be drawn without a seed.",
          "if": {"properties": {"nnrun": {"const": 2}}, "required": ["nnrun"], "not": {"anyOf": [{"required": ["seed"]}, {"required": ["init_from"]}]}},
          "then": {"properties": {"model": {"properties": {"layers": {"items": {"required": ["weights"]}}}}}}
        },
        {
          "$comment": "init_from gives every layer's weights and bias.",
          "if": {"required": ["init_from"]},
          "then": {"properties": {"model": {"properties": {"layers": {"items": {"properties": {"weights": false, "bias": false}}}}}}}
        },
        {
          "$comment": "Drawn weights and shuffling need a seed: their own, or the spec's.",
          "if": {"not": {"required": ["seed"]}},
          "then": {
            "properties": {
              "model": {"properties": {"layers": {"items": {"properties": {
                "weights": {"if": {"type": "object", "required": ["init"]}, "then": {"required": ["seed"]}},
                "bias": {"if": {"type": "object", "required": ["init"]}, "then": {"required": ["seed"]}}
              }}}}},
              "training": {"properties": {"shuffle": {"required": ["seed"]}}}
            }
          }
        },
        {
          "$comment": "Only cross_entropy goes with softmax, which only the output layer may have; the loss needs a softmax layer.",
          "if": {"$ref": "#/$defs/lossIsCrossEntropy"},
          "then": {"properties": {"model": {"properties": {"layers": {"contains": {"properties": {"activation": {"const": "softmax"}}, "required": ["activation"]}}}}}},
          "else": {"properties": {"model": {"properties": {"layers": {"items": {"properties": {"activation": {"not": {"const": "softmax"}}}}}}}}}
        },
        {
          "$comment": "binary_cross_entropy needs sigmoid outputs (so some layer is sigmoid) and targets in [0, 1].",
          "if": {"$ref": "#/$defs/lossIsBinaryCrossEntropy"},
          "then": {
            "properties": {
              "model": {"properties": {"layers": {"contains": {"properties": {"activation": {"const": "sigmoid"}}, "required": ["activation"]}}}},
              "data": {"$ref": "#/$defs/targetsInUnitInterval"},
              "validation": {"$ref": "#/$defs/targetsInUnitInterval"}
            }
          }
        },
        {
          "$comment": "cross_entropy targets are probabilities: non-negative (that they sum to 1 is nnrun's check).",
          "if": {"$ref": "#/$defs/lossIsCrossEntropy"},
          "then": {
            "properties": {
              "data": {"$ref": "#/$defs/targetsNonNegative"},
              "validation": {"$ref": "#/$defs/targetsNonNegative"}
            }
          }
        },
        {
          "$comment": "accuracy is defined for the classification losses only.",
          "if": {"anyOf": [{"$ref": "#/$defs/lossIsBinaryCrossEntropy"}, {"$ref": "#/$defs/lossIsCrossEntropy"}]},
          "else": {"properties": {
            "expect": {"$ref": "#/$defs/checksWithoutAccuracy"},
            "training": {"properties": {"early_stopping": {"properties": {"monitor": {"not": {"const": "validation_accuracy"}}}}}}
          }}
        },
        {
          "$comment": "validation_loss and validation_accuracy need a validation set, to check and to stop early on (early stopping watches validation_loss unless it names another monitor).",
          "if": {"not": {"required": ["validation"]}},
          "then": {"properties": {
            "expect": {"$ref": "#/$defs/checksWithoutValidation"},
            "training": {"properties": {"early_stopping": {"required": ["monitor"], "properties": {"monitor": {"const": "loss"}}}}}
          }}
        }
      ]
    },
    "seed": {"type": "integer", "minimum": 0, "maximum": 9223372036854775807},
    "count": {"type": "integer", "minimum": 1, "maximum": 9223372036854775807},
    "numbers": {"type": "array", "items": {"type": "number"}},
    "someNumbers": {"type": "array", "minItems": 1, "items": {"type": "number"}},
    "text": {
      "description": "Any scalar: nnrun reads a name as written, so 7, true and ~ are the names '7', 'true' and '~'.",
      "type": ["string", "number", "boolean", "null"]
    },
    "visibleName": {
      "description": "A name with a visible character and no control characters.",
      "type": ["string", "number", "boolean", "null"],
      "pattern": "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*$"
    },
    "path": {
      "description": "A file, relative to the spec's folder (or absolute).",
      "type": ["string", "number", "boolean", "null"],
      "minLength": 1
    },
    "names": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/text"}},
    "model": {
      "type": "object",
      "additionalProperties": false,
      "required": ["inputs", "layers"],
      "properties": {
        "inputs": {"$ref": "#/$defs/count"},
        "layers": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/layer"}}
      }
    },
    "layer": {
      "type": "object",
      "additionalProperties": false,
      "required": ["units", "activation"],
      "properties": {
        "name": {"$ref": "#/$defs/visibleName", "description": "Required in format 1; format 2 names an unnamed layer layer1, layer2, ... by its position."},
        "units": {"type": "integer", "minimum": 1, "maximum": 1000000},
        "activation": {"enum": ["sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax"]},
        "alpha": {"type": "number", "minimum": 0, "exclusiveMaximum": 1, "description": "leaky_relu only; default 0.01."},
        "weights": {
          "description": "One row per unit, one number per input (PyTorch Linear layout), an initializer, or (format 2) a .npy file of shape (units, inputs). Omitted in format 2: glorot_uniform from the spec's seed.",
          "oneOf": [
            {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/someNumbers"}},
            {"$ref": "#/$defs/initializer"},
            {"$ref": "#/$defs/parameterFile"}
          ]
        },
        "bias": {
          "description": "A number: one bias shared by every unit. A list: one per unit. Format 2: none (no bias), {fill: x}, {init: uniform|normal, ...} or {npy: FILE} (one per unit). Omitted: no bias in format 1, a trained zero per unit in format 2.",
          "oneOf": [
            {"type": "number"},
            {"$ref": "#/$defs/someNumbers"},
            {"const": "none"},
            {"type": "object", "additionalProperties": false, "required": ["fill"], "properties": {"fill": {"type": "number"}}},
            {"$ref": "#/$defs/biasInitializer"},
            {"$ref": "#/$defs/parameterFile"}
          ]
        }
      },
      "dependentSchemas": {
        "alpha": {"properties": {"activation": {"const": "leaky_relu"}}}
      }
    },
    "parameterFile": {
      "type": "object",
      "additionalProperties": false,
      "required": ["npy"],
      "properties": {"npy": {"$ref": "#/$defs/path"}}
    },
    "biasInitializer": {
      "allOf": [{"$ref": "#/$defs/initializer"}],
      "properties": {"init": {"enum": ["uniform", "normal"]}}
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
      },
      "dependentSchemas": {
        "low": {"properties": {"init": {"const": "uniform"}}},
        "high": {"properties": {"init": {"const": "uniform"}}},
        "mean": {"properties": {"init": {"const": "normal"}}},
        "std": {"properties": {"init": {"const": "normal"}}}
      }
    },
    "data": {
      "oneOf": [
        {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/sample"}},
        {"$ref": "#/$defs/csv"},
        {"$ref": "#/$defs/npy"},
        {"$ref": "#/$defs/npz"}
      ]
    },
    "validationSplit": {
      "type": "object",
      "additionalProperties": false,
      "required": ["split"],
      "properties": {
        "split": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1, "description": "The fraction of data held out: floor(split x samples) samples."},
        "seed": {"$ref": "#/$defs/seed", "description": "Without it the last samples in data order are held out; with it, the first of nnrun's permutation."}
      }
    },
    "scale": {"enum": ["standardize", "minmax"], "description": "Scale every input column with constants fitted on the training samples (Docs/spec-format.md#input-scaling)."},
    "sample": {
      "type": "object",
      "additionalProperties": false,
      "required": ["inputs", "targets"],
      "properties": {"inputs": {"$ref": "#/$defs/someNumbers"}, "targets": {"$ref": "#/$defs/someNumbers"}}
    },
    "csv": {
      "type": "object",
      "additionalProperties": false,
      "required": ["csv", "inputs"],
      "properties": {
        "csv": {"$ref": "#/$defs/path"},
        "inputs": {"$ref": "#/$defs/names", "description": "Column names, one per model input."},
        "targets": {"$ref": "#/$defs/names", "description": "Column names, one per output unit."},
        "scale": {"$ref": "#/$defs/scale"},
        "one_hot": {
          "type": "object",
          "additionalProperties": false,
          "required": ["column"],
          "properties": {
            "column": {"$ref": "#/$defs/text"},
            "classes": {"$ref": "#/$defs/names", "description": "The labels as the file writes them, one per output unit: [setosa, versicolor] or [0, 1, 2]. Left out: the file's distinct labels, sorted (by value when all are numbers, else by code points), written to the results file as 'classes'."}
          }
        }
      },
      "oneOf": [{"required": ["targets"]}, {"required": ["one_hot"]}]
    },
    "npy": {
      "type": "object",
      "additionalProperties": false,
      "required": ["npy"],
      "properties": {
        "scale": {"$ref": "#/$defs/scale"},
        "npy": {
          "type": "object",
          "description": "NumPy .npy files (format 1.0, 2.0 or 3.0), paths relative to the spec's folder.",
          "additionalProperties": false,
          "required": ["inputs", "targets"],
          "properties": {
            "inputs": {"$ref": "#/$defs/path", "description": "float64, float32 or integers (converted exactly), shape (N, model.inputs); (N,) with one input."},
            "targets": {"$ref": "#/$defs/path", "description": "float64 or float32, shape (N, output units), (N,) with one unit; or integer class labels, shape (N,), expanded one-hot."}
          }
        }
      }
    },
    "npz": {
      "type": "object",
      "additionalProperties": false,
      "required": ["npz"],
      "properties": {
        "scale": {"$ref": "#/$defs/scale"},
        "npz": {
          "type": "object",
          "description": "A NumPy .npz archive (numpy.savez or numpy.savez_compressed), its path relative to the spec's folder, and the names of two of its arrays, read as the .npy files of 'npy' are.",
          "additionalProperties": false,
          "required": ["file", "inputs", "targets"],
          "properties": {
            "file": {"$ref": "#/$defs/path"},
            "inputs": {"$ref": "#/$defs/text", "description": "The inputs array's name (x for the member x.npy)."},
            "targets": {"$ref": "#/$defs/text", "description": "The targets array's name."}
          }
        }
      }
    },
    "targetsInUnitInterval": {
      "$comment": "Listed samples' targets in [0, 1] (a CSV or .npy file is nnrun's to check).",
      "items": {"properties": {"targets": {"items": {"minimum": 0, "maximum": 1}}}}
    },
    "targetsNonNegative": {
      "$comment": "Listed samples' targets 0 or more (a CSV or .npy file is nnrun's to check).",
      "items": {"properties": {"targets": {"items": {"minimum": 0}}}}
    },
    "lossIsCrossEntropy": {"required": ["training"], "properties": {"training": {"required": ["loss"], "properties": {"loss": {"const": "cross_entropy"}}}}},
    "lossIsBinaryCrossEntropy": {"required": ["training"], "properties": {"training": {"required": ["loss"], "properties": {"loss": {"const": "binary_cross_entropy"}}}}},
    "training": {
      "type": "object",
      "additionalProperties": false,
      "required": ["loss", "learning_rate"],
      "oneOf": [{"required": ["steps"]}, {"required": ["epochs"]}],
      "properties": {
        "loss": {"enum": ["half_squared_error", "mse", "binary_cross_entropy", "cross_entropy"]},
        "optimizer": {
          "oneOf": [
            {"enum": ["sgd", "adam", "adamw", "rmsprop"]},
            {
              "type": "object",
              "additionalProperties": false,
              "required": ["name"],
              "properties": {
                "name": {"enum": ["sgd", "adam", "adamw", "rmsprop"]},
                "momentum": {"type": "number", "minimum": 0},
                "nesterov": {"type": "boolean"},
                "weight_decay": {"type": "number", "minimum": 0, "description": "Default 0; adamw's default is 0.01 (torch.optim.AdamW's)."},
                "beta1": {"type": "number", "minimum": 0, "exclusiveMaximum": 1},
                "beta2": {"type": "number", "minimum": 0, "exclusiveMaximum": 1},
                "epsilon": {"type": "number", "minimum": 0},
                "alpha": {"type": "number", "minimum": 0, "exclusiveMaximum": 1, "description": "RMSprop's smoothing constant (default 0.99)."},
                "centered": {"type": "boolean", "description": "RMSprop: divide by sqrt(v - mean gradient^2) + epsilon."}
              },
              "dependentSchemas": {
                "momentum": {"properties": {"name": {"enum": ["sgd", "rmsprop"]}}},
                "nesterov": {"properties": {"name": {"const": "sgd"}}},
                "beta1": {"properties": {"name": {"enum": ["adam", "adamw"]}}},
                "beta2": {"properties": {"name": {"enum": ["adam", "adamw"]}}},
                "epsilon": {"properties": {"name": {"enum": ["adam", "adamw", "rmsprop"]}}},
                "alpha": {"properties": {"name": {"const": "rmsprop"}}},
                "centered": {"properties": {"name": {"const": "rmsprop"}}}
              },
              "allOf": [
                {
                  "if": {"required": ["nesterov"], "properties": {"nesterov": {"const": true}}},
                  "then": {"required": ["momentum"], "properties": {"momentum": {"exclusiveMinimum": 0}}}
                },
                {
                  "if": {"properties": {"name": {"const": "rmsprop"}}},
                  "then": {"properties": {"epsilon": {"exclusiveMinimum": 0}}}
                }
              ]
            }
          ]
        },
        "learning_rate": {"type": "number", "exclusiveMinimum": 0},
        "steps": {"$ref": "#/$defs/count"},
        "epochs": {"$ref": "#/$defs/count"},
        "train_biases": {"type": "boolean"},
        "batch": {"oneOf": [{"enum": ["full", "online"]}, {"$ref": "#/$defs/count"}]},
        "shuffle": {
          "type": "object",
          "additionalProperties": false,
          "properties": {"seed": {"$ref": "#/$defs/seed"}}
        },
        "update": {"enum": ["deferred", "immediate"]},
        "schedule": {"$ref": "#/$defs/schedule"},
        "early_stopping": {
          "type": "object",
          "description": "Stop when the monitored series stops improving (Keras' EarlyStopping rule; Docs/spec-format.md#early-stopping).",
          "additionalProperties": false,
          "properties": {
            "monitor": {"enum": ["validation_loss", "validation_accuracy", "loss"], "description": "Default validation_loss."},
            "patience": {"type": "integer", "minimum": 0, "maximum": 9223372036854775807, "description": "Checks in a row without improvement that stop training; default 0."},
            "min_delta": {"type": "number", "minimum": 0, "description": "An improvement beats the best value by more than this; default 0."},
            "restore_best": {"type": "boolean", "description": "The results hold the best check's parameters; default false."}
          }
        }
      }
    },
    "schedule": {
      "type": "object",
      "description": "The learning rate as a function of k, the update's epoch (every: epoch) or the updates before it (every: step): torch.optim.lr_scheduler's closed forms, after an optional linear warm-up of 'warmup' values of k.",
      "additionalProperties": false,
      "required": ["name"],
      "properties": {
        "name": {"enum": ["step", "exponential", "cosine"]},
        "step_size": {"$ref": "#/$defs/count", "description": "step: lr gamma^floor(k / step_size)."},
        "gamma": {"type": "number", "exclusiveMinimum": 0, "maximum": 1, "description": "step (default 0.1) and exponential (lr gamma^k)."},
        "t_max": {"type": "integer", "minimum": 1, "maximum": 4503599627370496, "description": "cosine: eta_min + (lr - eta_min) (1 + cos(pi k / t_max)) / 2."},
        "eta_min": {"type": "number", "minimum": 0, "description": "cosine's lowest rate (default 0)."},
        "warmup": {"type": "integer", "minimum": 0, "description": "For k below it the rate is lr k / warmup; the schedule then runs on k - warmup."},
        "every": {"enum": ["epoch", "step"], "description": "What k counts (default epoch)."}
      },
      "dependentSchemas": {
        "step_size": {"properties": {"name": {"const": "step"}}},
        "gamma": {"properties": {"name": {"enum": ["step", "exponential"]}}},
        "t_max": {"properties": {"name": {"const": "cosine"}}},
        "eta_min": {"properties": {"name": {"const": "cosine"}}}
      },
      "allOf": [
        {"if": {"properties": {"name": {"const": "step"}}}, "then": {"required": ["step_size"]}},
        {"if": {"properties": {"name": {"const": "exponential"}}}, "then": {"required": ["gamma"]}},
        {"if": {"properties": {"name": {"const": "cosine"}}}, "then": {"required": ["t_max"]}}
      ]
    },
    "record": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "every": {"oneOf": [{"$ref": "#/$defs/count"}, {"const": "epoch"}], "description": "Steps between recorded losses, or epoch: once per epoch."},
        "trace": {"type": "array", "maxItems": 1000, "uniqueItems": true, "items": {"$ref": "#/$defs/count"}}
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
    "checksWithoutAccuracy": {
      "$comment": "The checks of either form of expect: a list, or a mapping with checks.",
      "items": {"$ref": "#/$defs/checkWithoutAccuracy"},
      "properties": {"checks": {"items": {"$ref": "#/$defs/checkWithoutAccuracy"}}}
    },
    "checkWithoutAccuracy": {"properties": {"quantity": {"not": {"pattern": "^(validation_)?accuracy$"}}}},
    "checksWithoutValidation": {
      "items": {"$ref": "#/$defs/checkWithoutValidation"},
      "properties": {"checks": {"items": {"$ref": "#/$defs/checkWithoutValidation"}}}
    },
    "checkWithoutValidation": {"properties": {"quantity": {"not": {"pattern": "^validation_(loss|accuracy)$"}}}},
    "check": {
      "type": "object",
      "additionalProperties": false,
      "required": ["at", "quantity", "value"],
      "properties": {
        "at": {"oneOf": [{"$ref": "#/$defs/seed"}, {"const": "final"}]},
        "quantity": {
          "type": "string",
          "description": "Indices [i] narrow a quantity: at most as many as it has dimensions.",
          "pattern": "^(loss|accuracy|validation_loss|validation_accuracy|(outputs|layers\\.[^.\\[\\]]+\\.weights|trace\\.output_losses|trace\\.[^.\\[\\]]+\\.(net|out|d_out|d_out_d_net|delta|weight_gradient))(\\[(\\+?[0-9]+|-0+)\\]){0,2}|(layers\\.[^.\\[\\]]+\\.bias|trace\\.sample_losses|trace\\.[^.\\[\\]]+\\.bias_gradient)(\\[(\\+?[0-9]+|-0+)\\])?)$"
        },
        "value": {"$ref": "#/$defs/value"},
        "tolerance": {"$ref": "#/$defs/tolerance"}
      },
      "if": {"required": ["quantity", "at"], "properties": {"quantity": {"pattern": "^trace\\."}}},
      "then": {"properties": {"at": {"not": {"const": 0}}}}
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
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$", "description": "SHA-256 of the spec file's bytes; with overrides, of the effective text and the overrides (Docs/results-format.md)"},
        "extends": {"type": "array", "minItems": 1, "items": {"type": "string"}, "description": "the base files of extends, nearest first, as written; absent without any"},
        "overrides": {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": "^[^=]+="}, "description": "the --set overrides, PATH=VALUE, in order; absent without any"}
      }
    },
    "classes": {
      "type": "array", "minItems": 1, "items": {"type": "string"},
      "description": "Only when a CSV one_hot column lists no classes: the classes inferred from the file, in output-unit order (unit 0 first)."
    },
    "validation_split": {
      "type": "object",
      "additionalProperties": false,
      "required": ["split", "seed", "samples", "validation_indices"],
      "description": "Only with validation: {split}: which samples of the data were held out (Docs/spec-format.md#validation-split).",
      "properties": {
        "split": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
        "seed": {"type": ["integer", "null"], "minimum": 0},
        "samples": {"type": "integer", "minimum": 2, "description": "the samples of the data, before the split"},
        "validation_indices": {"type": "array", "minItems": 1, "items": {"type": "integer", "minimum": 0}, "description": "0-based, ascending"}
      }
    },
    "input_scaling": {
      "type": "object",
      "additionalProperties": false,
      "required": ["method", "offset", "scale"],
      "description": "Only with data.scale: input j is fed to the network as (x[j] - offset[j]) / scale[j] (Docs/spec-format.md#input-scaling).",
      "properties": {
        "method": {"enum": ["standardize", "minmax"]},
        "offset": {"$ref": "#/$defs/numbers"},
        "scale": {"$ref": "#/$defs/numbers"}
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
    "early_stopping": {
      "type": "object",
      "additionalProperties": false,
      "required": ["monitor", "stopped", "step", "epoch", "best_step", "best", "parameters_step"],
      "description": "Only with training.early_stopping: whether and where it stopped training, and whose parameters final holds (Docs/spec-format.md#early-stopping).",
      "properties": {
        "monitor": {"enum": ["validation_loss", "validation_accuracy", "loss"]},
        "stopped": {"type": "boolean", "description": "true: the rule stopped training before its last step"},
        "step": {"type": "integer", "minimum": 0, "description": "the step training ended at"},
        "epoch": {"type": "integer", "minimum": 0, "description": "the epoch (1-based) that step belongs to"},
        "best_step": {"type": ["integer", "null"], "minimum": 1},
        "best": {"type": ["number", "null"]},
        "parameters_step": {"type": "integer", "minimum": 0, "description": "the step whose parameters final holds: best_step with restore_best, else step"}
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
        "validation_accuracy": {"$ref": "#/$defs/numbers"},
        "learning_rate": {"$ref": "#/$defs/numbers", "description": "With a schedule only: the rate update step[i] used (at step 0, the first update's)."}
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

    static let plan = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://nnrun.dev/schemas/plan-1.schema.json",
  "title": "nnrun plan, format version 1",
  "description": "nnrun plan --format json: the buffers and operations of a spec's training step. Sizes and offsets count Float64 values. See Docs/cli.md#nnrun-plan.",
  "type": "object",
  "additionalProperties": false,
  "required": ["nnrun_plan", "name", "inputs", "outputs", "samples", "validation_samples", "layers", "parameter_count",
               "activation_count", "row_capacity", "training", "operations", "memory"],
  "properties": {
    "nnrun_plan": {"const": 1, "description": "The plan format version."},
    "name": {"type": "string"},
    "inputs": {"$ref": "#/$defs/positive"},
    "outputs": {"$ref": "#/$defs/positive"},
    "samples": {"$ref": "#/$defs/positive"},
    "validation_samples": {"$ref": "#/$defs/count"},
    "layers": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/layer"}},
    "parameter_count": {"$ref": "#/$defs/positive", "description": "Length of the parameter buffer: every layer's weights, then its bias."},
    "activation_count": {"$ref": "#/$defs/positive", "description": "Length of each of the five activation buffers (net, out, dOut, slope, delta)."},
    "row_capacity": {"$ref": "#/$defs/positive", "description": "Rows of every layer's block in the activation buffers."},
    "training": {
      "type": "object",
      "additionalProperties": false,
      "required": ["steps", "batch_size", "steps_per_epoch", "shuffle_seed", "loss", "optimizer", "learning_rate", "update"],
      "properties": {
        "steps": {"$ref": "#/$defs/positive"},
        "batch_size": {"$ref": "#/$defs/positive"},
        "steps_per_epoch": {"$ref": "#/$defs/positive"},
        "shuffle_seed": {"oneOf": [{"type": "null"}, {"type": "string", "pattern": "^(0|[1-9][0-9]*)$"}],
                         "description": "The reshuffling seed as a decimal string (64 bits), or null for data order."},
        "loss": {"enum": ["half_squared_error", "mse", "binary_cross_entropy", "cross_entropy"]},
        "optimizer": {"enum": ["sgd", "adam", "adamw", "rmsprop"]},
        "learning_rate": {"type": "number", "exclusiveMinimum": 0},
        "update": {"enum": ["deferred", "immediate"]},
        "schedule": {
          "oneOf": [{"type": "null"}, {
            "type": "object",
            "additionalProperties": false,
            "required": ["name", "warmup", "every"],
            "properties": {
              "name": {"enum": ["step", "exponential", "cosine"]},
              "step_size": {"$ref": "#/$defs/positive"},
              "gamma": {"type": "number"},
              "t_max": {"$ref": "#/$defs/positive"},
              "eta_min": {"type": "number"},
              "warmup": {"$ref": "#/$defs/count"},
              "every": {"enum": ["epoch", "step"]}
            }
          }],
          "description": "training.schedule with its defaults filled in, or null for a constant learning rate."
        },
        "early_stopping": {
          "oneOf": [{"type": "null"}, {
            "type": "object",
            "additionalProperties": false,
            "required": ["monitor", "patience", "min_delta", "restore_best"],
            "properties": {
              "monitor": {"enum": ["validation_loss", "validation_accuracy", "loss"]},
              "patience": {"$ref": "#/$defs/count"},
              "min_delta": {"type": "number", "minimum": 0},
              "restore_best": {"type": "boolean"}
            }
          }],
          "description": "training.early_stopping with its defaults filled in, or null."
        }
      }
    },
    "validation_split": {
      "oneOf": [{"type": "null"}, {
        "type": "object",
        "additionalProperties": false,
        "required": ["fraction", "seed", "held_out"],
        "properties": {
          "fraction": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
          "seed": {"oneOf": [{"type": "null"}, {"type": "string", "pattern": "^(0|[1-9][0-9]*)$"}]},
          "held_out": {"$ref": "#/$defs/positive"}
        }
      }],
      "description": "validation: {split, seed}: the fraction, the seed as a decimal string (null: the last samples in data order) and the number of samples held out; null without a split."
    },
    "input_scaling": {
      "oneOf": [{"type": "null"}, {
        "type": "object",
        "additionalProperties": false,
        "required": ["method"],
        "properties": {"method": {"enum": ["standardize", "minmax"]}}
      }],
      "description": "data.scale, fitted on the training samples when the spec runs (the constants are in the results file); null without scaling."
    },
    "operations": {
      "type": "object",
      "additionalProperties": false,
      "required": ["evaluation", "update"],
      "properties": {
        "evaluation": {"type": "array", "items": {"$ref": "#/$defs/operation"}, "description": "forward(0) ... forward(L-1), loss."},
        "update": {"type": "array", "items": {"$ref": "#/$defs/operation"}, "description": "The backward pass and the update, in the spec's update order."}
      }
    },
    "memory": {
      "type": "object",
      "additionalProperties": false,
      "required": ["total_bytes", "parameter_bytes", "activation_bytes", "data_bytes", "history_bytes", "trace_bytes", "kernel_bytes", "result_bytes"],
      "properties": {
        "total_bytes": {"$ref": "#/$defs/count"},
        "parameter_bytes": {"$ref": "#/$defs/count"},
        "activation_bytes": {"$ref": "#/$defs/count"},
        "data_bytes": {"$ref": "#/$defs/count"},
        "history_bytes": {"$ref": "#/$defs/count"},
        "trace_bytes": {"$ref": "#/$defs/count"},
        "kernel_bytes": {"$ref": "#/$defs/count"},
        "result_bytes": {"$ref": "#/$defs/count"}
      }
    }
  },
  "$defs": {
    "count": {"type": "integer", "minimum": 0},
    "positive": {"type": "integer", "minimum": 1},
    "layer": {
      "type": "object",
      "additionalProperties": false,
      "required": ["name", "inputs", "units", "activation", "weights", "bias", "activation_offset"],
      "properties": {
        "name": {"type": "string"},
        "inputs": {"$ref": "#/$defs/positive"},
        "units": {"$ref": "#/$defs/positive"},
        "activation": {"enum": ["sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax"]},
        "alpha": {"type": "number", "description": "leaky_relu's negative slope; only on leaky_relu layers."},
        "weights": {
          "type": "object", "additionalProperties": false, "required": ["offset", "count"],
          "properties": {"offset": {"$ref": "#/$defs/count"}, "count": {"$ref": "#/$defs/positive"}},
          "description": "(units, inputs), row-major, at offset in the parameter buffer."
        },
        "bias": {
          "type": "object", "additionalProperties": false, "required": ["offset", "count", "shared", "trained"],
          "properties": {
            "offset": {"$ref": "#/$defs/count"},
            "count": {"$ref": "#/$defs/count", "description": "0 (no bias), 1 (shared) or units."},
            "shared": {"type": "boolean"},
            "trained": {"type": "boolean"}
          }
        },
        "activation_offset": {"$ref": "#/$defs/count", "description": "Start of the layer's (row_capacity, units) block in each activation buffer."}
      }
    },
    "operation": {
      "type": "object",
      "additionalProperties": false,
      "required": ["op"],
      "properties": {
        "op": {"enum": ["forward", "loss", "delta", "gradient", "propagate", "step"]},
        "layer": {"$ref": "#/$defs/count"}
      },
      "if": {"properties": {"op": {"const": "loss"}}},
      "then": {"not": {"required": ["layer"]}},
      "else": {"required": ["layer"]}
    }
  }
}
"""#
}
