// The TypeScript checker as an oracle for call resolution (run by bench/ts_checker.py).
//
// Usage: node bench/ts_checker.mjs TYPESCRIPT_MODULE_DIR ROOT FILE...
// Builds one program of FILE... (paths relative to ROOT) and prints one JSON line per call or
// `new` expression: where it is and the declaration the checker's resolved signature points at
// (getResolvedSignature(call).declaration): its file (relative to ROOT, or "<lib>" outside it),
// its kind, the name Thread would give it, and where that name is. Positions are 0-based
// [line, UTF-16 column] pairs, as the compiler counts them.

import { createRequire } from "node:module";
import path from "node:path";

const [tsDir, root, ...files] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const ts = require(path.join(tsDir, "node_modules", "typescript"));

const program = ts.createProgram(
  files.map((f) => path.join(root, f)),
  {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowJs: true,
    checkJs: false,
    jsx: ts.JsxEmit.Preserve,
    noEmit: true,
    skipLibCheck: true,
    strict: true,
    experimentalDecorators: true,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
  },
);
const checker = program.getTypeChecker();
const rootAbs = path.resolve(root);

function where(sf, pos) {
  const lc = sf.getLineAndCharacterOfPosition(pos);
  return [lc.line, lc.character];
}

function declName(decl) {
  // The name Thread gives the declaration's symbol, and the node that carries it.
  const k = ts.SyntaxKind;
  if (decl.kind === k.Constructor || decl.kind === k.ConstructSignature) {
    const keyword = decl.getChildren().find((c) => c.kind === k.ConstructorKeyword || c.kind === k.NewKeyword);
    return [decl.kind === k.Constructor ? "constructor" : "new", keyword || decl];
  }
  if (decl.name) return [decl.name.getText(), decl.name];
  const parent = decl.parent;
  if (!parent) return [null, decl];
  if (
    (parent.kind === k.VariableDeclaration ||
      parent.kind === k.PropertyAssignment ||
      parent.kind === k.PropertyDeclaration) &&
    parent.name
  ) {
    return [parent.name.getText(), parent.name];
  }
  if (parent.kind === k.BinaryExpression && parent.right === decl) {
    const left = parent.left;
    if (ts.isPropertyAccessExpression(left)) return [left.name.getText(), left.name];
    if (ts.isIdentifier(left)) return [left.getText(), left];
  }
  if (decl.kind === k.ClassExpression || decl.kind === k.ClassDeclaration) return ["default", decl];
  return [null, decl];
}

const out = [];
for (const f of files) {
  const sf = program.getSourceFile(path.join(root, f));
  if (!sf) continue;
  const visit = (node) => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const row = {
        file: f,
        start: where(sf, node.getStart(sf)),
        end: where(sf, node.getEnd()),
        text: node.expression.getText(sf).slice(0, 80),
      };
      let sig;
      try {
        sig = checker.getResolvedSignature(node);
      } catch (e) {
        sig = undefined;
      }
      const decl = sig && sig.declaration;
      if (decl && decl.kind !== ts.SyntaxKind.JSDocSignature) {
        const dsf = decl.getSourceFile();
        const abs = path.resolve(dsf.fileName);
        const inside = abs.startsWith(rootAbs + path.sep) && !dsf.isDeclarationFile;
        const [name, nameNode] = declName(decl);
        row.decl = {
          file: inside ? path.relative(rootAbs, abs).split(path.sep).join("/") : "<lib>",
          kind: ts.SyntaxKind[decl.kind],
          name,
          at: where(dsf, nameNode.getStart(dsf)),
        };
      }
      out.push(JSON.stringify(row));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}
process.stdout.write(out.join("\n") + "\n");
