/** `hearth completion bash|zsh|fish`: a completion script generated from the command tree. */
import { Command, type Command as CommandType } from 'commander';
import { CliError, out } from '../output.ts';

interface Node {
  name: string;
  about: string;
  options: string[];
  children: Node[];
}

function tree(cmd: CommandType): Node {
  return {
    name: cmd.name(),
    about: cmd.description(),
    options: cmd.options.map((o) => o.long ?? o.short ?? '').filter(Boolean).concat('--help'),
    children: cmd.commands.map(tree),
  };
}

function bash(root: Node): string {
  const cases: string[] = [];
  const visit = (n: Node, path: string) => {
    const words = [...n.children.map((c) => c.name), ...n.options].join(' ');
    cases.push(`    "${path}") opts="${words}" ;;`);
    for (const c of n.children) visit(c, path ? `${path} ${c.name}` : c.name);
  };
  visit(root, '');
  return `# hearth completion for bash: source <(hearth completion bash)
_hearth() {
  local cur path="" w i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ $w == -* ]] && continue
    case "$path\${path:+ }$w" in
${cases.map((c) => c.replace(/^ {4}"([^"]*)"\).*$/, '      "$1") path="$1" ;;')).join('\n')}
    esac
  done
  local opts=""
  case "$path" in
${cases.join('\n')}
  esac
  COMPREPLY=($(compgen -W "$opts" -- "$cur"))
}
complete -o default -F _hearth hearth
`;
}

function zsh(root: Node): string {
  return `#compdef hearth
# hearth completion for zsh: hearth completion zsh > "\${fpath[1]}/_hearth"
${bash(root).replace('# hearth completion for bash: source <(hearth completion bash)\n', '')}`.replace(
    'complete -o default -F _hearth hearth',
    'autoload -U +X bashcompinit && bashcompinit\ncomplete -o default -F _hearth hearth',
  );
}

function fish(root: Node): string {
  const lines = ['# hearth completion for fish: hearth completion fish > ~/.config/fish/completions/hearth.fish', 'complete -c hearth -f'];
  const quote = (s: string) => `'${s.replaceAll("'", "\\'")}'`;
  for (const c of root.children) lines.push(`complete -c hearth -n '__fish_use_subcommand' -a ${c.name} -d ${quote(c.about)}`);
  for (const c of root.children) {
    for (const s of c.children) lines.push(`complete -c hearth -n '__fish_seen_subcommand_from ${c.name}' -a ${s.name} -d ${quote(s.about)}`);
    const opts = new Set([...c.options, ...c.children.flatMap((s) => s.options)]);
    for (const o of opts) if (o.startsWith('--')) lines.push(`complete -c hearth -n '__fish_seen_subcommand_from ${c.name}' -l ${o.slice(2)}`);
  }
  return lines.join('\n') + '\n';
}

export function completionCommand(root: () => CommandType): Command {
  return new Command('completion')
    .description('Print a shell completion script')
    .argument('<shell>', 'bash, zsh or fish')
    .addHelpText('after', '\nExamples:\n  $ source <(hearth completion bash)\n  $ hearth completion zsh > "${fpath[1]}/_hearth"\n  $ hearth completion fish > ~/.config/fish/completions/hearth.fish')
    .action((shell: string) => {
      const t = tree(root());
      if (shell === 'bash') out(bash(t));
      else if (shell === 'zsh') out(zsh(t));
      else if (shell === 'fish') out(fish(t));
      else throw new CliError(`Unknown shell "${shell}": use bash, zsh or fish.`, 2);
    });
}
