import ArgumentParser

/// `nnrun --generate-completion-script bash|zsh|fish`: argument-parser's script, plus the
/// default subcommands. `nnrun SPEC` is `nnrun run SPEC` and `nnrun sweep SPEC` is
/// `nnrun sweep run SPEC`, but argument-parser's scripts complete a subcommand's arguments
/// only after its name (apple/swift-argument-parser#488: `nnrun specs/tu<TAB>` would offer
/// nothing). Its script is kept whole; what is added completes a command line the way
/// nnrun parses it: where a command that has a default subcommand is followed by anything
/// but one of its subcommands' names, the default's name is put in, and argument-parser's
/// own functions complete the line so made. For the word under the cursor in such a place,
/// which may also begin a subcommand's name, both are offered. Docs/cli.md.
public enum CompletionScript {
    /// The shell `--generate-completion-script [SHELL]` asks for (the login shell when none
    /// is named); nil when the command line asks for no script, or for a shell argument-parser
    /// does not know, which argument-parser then reports.
    public static func requestedShell(in arguments: [String]) -> CompletionShell? {
        let flag = "--generate-completion-script"
        for (index, argument) in arguments.enumerated() {
            if argument.hasPrefix(flag + "=") { return CompletionShell(rawValue: String(argument.dropFirst(flag.count + 1))) }
            guard argument == flag else { continue }
            let next = arguments.dropFirst(index + 1).first
            guard let next, !next.hasPrefix("-") else { return CompletionShell.autodetected() }
            return CompletionShell(rawValue: next)
        }
        return nil
    }

    public static func script(for shell: CompletionShell) -> String {
        let generated = Nnrun.completionScript(for: shell)
        switch shell {
        case .bash: return generated + bashAddition
        case .zsh: return zshScript(wrapping: generated)
        default: return generated + fishAddition
        }
    }

    /// A command that has a default subcommand: its path of subcommand names below `nnrun`,
    /// the default's name, and the names that select a subcommand explicitly.
    struct DefaultSubcommand: Equatable {
        var path: [String]
        var name: String
        var subcommands: [String]
    }

    /// Read from the command tree: `run` under `nnrun`, `run` under `sweep`.
    static var defaultSubcommands: [DefaultSubcommand] {
        func walk(_ command: ParsableCommand.Type, path: [String]) -> [DefaultSubcommand] {
            let configuration = command.configuration
            var found: [DefaultSubcommand] = []
            if let defaultCommand = configuration.defaultSubcommand {
                var names = configuration.subcommands.map { name(of: $0) }
                // argument-parser adds a `help` subcommand to the root.
                if path.isEmpty { names.append("help") }
                found.append(DefaultSubcommand(path: path, name: name(of: defaultCommand), subcommands: names))
            }
            for subcommand in configuration.subcommands {
                found += walk(subcommand, path: path + [name(of: subcommand)])
            }
            return found
        }
        return walk(Nnrun.self, path: [])
    }

    private static func name(of command: ParsableCommand.Type) -> String {
        command.configuration.commandName ?? command._commandName
    }

    /// The `case` arms that set `default` and `subcommands` (` a b c `) for a command path
    /// (` sweep`, or empty for the root) in bash and zsh.
    private static var pathCases: String {
        defaultSubcommands.map { level in
            "        '\(level.path.map { " " + $0 }.joined())') default=\(level.name); subcommands=' \(level.subcommands.joined(separator: " ")) ' ;;"
        }.joined(separator: "\n")
    }

    /// The loop of bash's and zsh's completion functions (the same code in both shells): walks
    /// the typed words from index `first` to the word under the cursor (`cursor`), building
    /// `line`, the words with each missing default subcommand's name put in; at the cursor
    /// it also completes the line as typed, then runs `afterCompletion`.
    private static func walkLine(words: String, first: Int, cursor: String, afterCompletion: String) -> String {
        """
            for (( index = \(first); index <= \(cursor); index++ )); do
                word="${\(words)[index]}"
                default='' subcommands=''
                case "${command_path}" in
        \(pathCases)
                esac
                if [[ -n "${subcommands}" && "${subcommands}" == *" ${word} "* ]]; then
                    command_path+=" ${word}"
                elif [[ -n "${default}" ]]; then
                    (( index == \(cursor) )) && __nnrun_complete_line "${line[@]}" "${word}"\(afterCompletion)
                    line+=("${default}")
                    command_path+=" ${default}"
                fi
                line+=("${word}")
            done
        """
    }

    private static let explanation = """
        # nnrun's default subcommands: `nnrun SPEC` is `nnrun run SPEC`, `nnrun sweep SPEC` is
        # `nnrun sweep run SPEC`. Where a command with a default subcommand is followed by
        # anything but one of its subcommands' names, complete the line with the default's
        # name put in, using argument-parser's functions above; at the word under the cursor
        # complete the line as typed too (it may begin a subcommand's name).
        """

    private static var bashAddition: String {
        """

        \(explanation)
        _nnrun_with_default_subcommands() {
            local -a line=("${COMP_WORDS[0]}")
            local command_path='' word default subcommands
            local -i index
        \(walkLine(words: "COMP_WORDS", first: 1, cursor: "COMP_CWORD", afterCompletion: ""))
            __nnrun_complete_line "${line[@]}"
            # Each candidate once.
            local -A seen=()
            local -a unique=()
            for word in "${COMPREPLY[@]}"; do
                [[ -z "${word}" || -n "${seen[${word}]+set}" ]] && continue
                unique+=("${word}")
                seen[${word}]=1
            done
            COMPREPLY=("${unique[@]}")
        }

        # Completes the words given, the last being the one under the cursor, with
        # argument-parser's function; adds to COMPREPLY.
        __nnrun_complete_line() {
            local -a COMP_WORDS=("${@}")
            local -i COMP_CWORD=$(( ${#} - 1 ))
            local COMP_LINE="${*}"
            local -i COMP_POINT=${#COMP_LINE}
            _nnrun "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        }

        complete -o filenames -F _nnrun_with_default_subcommands nnrun

        """
    }

    /// argument-parser's zsh script ends by calling or registering `_nnrun`, and zsh loads
    /// the file as the body of `_nnrun`, so nothing can follow that call: the generated
    /// script is run whole inside a function, its root function kept as
    /// `_nnrun_argument_parser`, and `_nnrun` becomes the function below.
    private static func zshScript(wrapping generated: String) -> String {
        """
        #compdef nnrun

        # argument-parser's script, whole: it defines _nnrun and its helpers.
        _nnrun_load_argument_parser_script() {
        \(generated)
        }
        _nnrun_load_argument_parser_script
        unfunction _nnrun_load_argument_parser_script
        functions[_nnrun_argument_parser]="${functions[_nnrun]}"

        \(explanation)
        _nnrun() {
            # argument-parser's functions change words and CURRENT: work from a copy.
            local -ar typed=("${words[@]}")
            local -ir current=CURRENT
            local -a line=("${typed[1]}")
            local command_path='' word default subcommands
            local -i index ret=1
        \(walkLine(words: "typed", first: 2, cursor: "current", afterCompletion: " && ret=0"))
            __nnrun_complete_line "${line[@]}" && ret=0
            return ret
        }

        # Completes the words given, the last being the one under the cursor, with
        # argument-parser's root function.
        __nnrun_complete_line() {
            words=("${@}")
            CURRENT=${#}
            _nnrun_argument_parser
        }

        if [[ "${funcstack[1]}" = _nnrun ]]; then
            _nnrun "${@}"
        else
            compdef _nnrun nnrun
        fi

        """
    }

    /// fish evaluates argument-parser's conditions on the line as typed; where a default
    /// subcommand's name is missing before the word under the cursor, they would read the
    /// line wrongly (a spec taken for a subcommand's place), so they are wrapped to hold
    /// back there, and the line with the names put in is completed instead.
    private static var fishAddition: String {
        let cases = defaultSubcommands.map { level in
            """
                    case '\(level.path.map { " " + $0 }.joined())'
                        set default \(level.name)
                        set subcommands \(level.subcommands.joined(separator: " "))
            """
        }.joined(separator: "\n")
        return """

        \(explanation)
        # With `line`: prints the line with the default subcommands' names put in, and fails
        # when none is needed. With `before-cursor`: succeeds when a name is needed before the
        # word under the cursor.
        function __nnrun_default_subcommands -a mode
            set -l tokens (commandline -opc)
            set -l current (commandline -ct)
            set -l line (string escape -- $tokens[1])
            set -l command_path ''
            set -l inserted 0
            set -l inserted_before_cursor 0
            for index in (seq 2 (math (count $tokens) + 1))
                # The words before the cursor, then the one under it (as typed).
                set -l plain "$current"
                set -l word "$current"
                if test $index -le (count $tokens)
                    set plain $tokens[$index]
                    set word (string escape -- $tokens[$index])
                end
                set -l default
                set -l subcommands
                switch "$command_path"
        \(cases)
                end
                if test -n "$default"; and contains -- "$plain" $subcommands
                    set command_path "$command_path $plain"
                else if test -n "$default"
                    set -a line $default
                    set command_path "$command_path $default"
                    set inserted 1
                    test $index -le (count $tokens); and set inserted_before_cursor 1
                end
                set -a line $word
            end
            if test "$mode" = before-cursor
                test $inserted_before_cursor = 1
            else
                test $inserted = 1; and string join ' ' -- $line
            end
        end

        functions -c __nnrun_should_offer_completions_for_positional __nnrun_argument_parser_offers_positional
        function __nnrun_should_offer_completions_for_positional
            __nnrun_default_subcommands before-cursor; and return 1
            __nnrun_argument_parser_offers_positional $argv
        end

        functions -c __nnrun_should_offer_completions_for_flags_or_options __nnrun_argument_parser_offers_flags_or_options
        function __nnrun_should_offer_completions_for_flags_or_options
            __nnrun_default_subcommands before-cursor; and return 1
            __nnrun_argument_parser_offers_flags_or_options $argv
        end

        function __nnrun_complete_with_default_subcommands
            complete -C (__nnrun_default_subcommands line)
        end

        complete -c 'nnrun' -n '__nnrun_default_subcommands line >/dev/null' -fa '(__nnrun_complete_with_default_subcommands)'

        """
    }
}
