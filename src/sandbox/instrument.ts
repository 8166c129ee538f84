import type * as TS from 'typescript';

/** The name of the hooks object inside an instrumented module (a parameter of its function). */
export const HOOKS = '__racelings';

/**
 * A TypeScript transformer that makes the learner's accesses to shared state visible to the
 * explorer, so that it can tell which steps of a run commute (partial-order reduction) without
 * changing what the code does or when.
 *
 * Rewritten, each into a call of the hooks object that performs the same operation and records it:
 * property reads and writes (`o.p`, `o[k]`, compound assignments, `++`, `delete`, `in`), method
 * calls (`o.m(…)`: a `Map`'s `get`/`set` are recorded per key), reads and writes of variables that
 * more than one function can reach (module-level and captured `let`/`var`), `await`, `new
 * Promise`, and iteration or spreading of an object (which reads all of it). Evaluation order is
 * kept: an object and its key are evaluated before the right-hand side, and a compound
 * assignment reads before it evaluates an `await` on its right. What the rewrite does not
 * understand (optional chains, destructuring assignment) is recorded as touching everything: the
 * reduction then gives up some pruning, never soundness.
 */
export function accessInstrumentation(
  ts: typeof import('typescript'),
  program: TS.Program,
): TS.TransformerFactory<TS.SourceFile> {
  const checker = program.getTypeChecker();
  const { compound: COMPOUND, logical: LOGICAL } = operators(ts);
  return (context) => (file) => {
    const f = context.factory;
    const shared = sharedVariables(ts, checker, file, COMPOUND);
    const hook = (name: string, args: TS.Expression[]) =>
      f.createCallExpression(
        f.createPropertyAccessExpression(f.createIdentifier(HOOKS), name),
        undefined,
        args,
      );
    const temp = () => {
      const id = f.createTempVariable(undefined);
      context.hoistVariableDeclaration(id);
      return id;
    };
    const assign = (target: TS.Expression, value: TS.Expression) => f.createAssignment(target, value);
    const comma = (...items: TS.Expression[]) =>
      f.createParenthesizedExpression(f.createCommaListExpression(items));
    const key = (name: TS.MemberName) => f.createStringLiteral(name.text);
    const sharedId = (node: TS.Node): number | undefined =>
      ts.isIdentifier(node) ? shared.get(checker.getSymbolAtLocation(node) as TS.Symbol) : undefined;
    const isThisOrName = (node: TS.Expression) =>
      node.kind === ts.SyntaxKind.ThisKeyword || ts.isIdentifier(node);

    const visit = (node: TS.Node): TS.Node => {
      if (ts.isTypeNode(node) || ts.isTypeAliasDeclaration(node) || ts.isInterfaceDeclaration(node))
        return node;
      if (isOptionalChain(ts, node)) return comma(hook('any', []), visitChain(node));
      if (ts.isBinaryExpression(node)) return visitBinary(node);
      if (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) return visitUpdate(node);
      if (ts.isDeleteExpression(node)) return visitDelete(node);
      if (ts.isCallExpression(node)) return visitCall(node);
      if (ts.isPropertyAccessExpression(node) && node.expression.kind !== ts.SyntaxKind.SuperKeyword) {
        const object = visitExpr(node.expression);
        if (ts.isPrivateIdentifier(node.name)) {
          return isThisOrName(node.expression)
            ? comma(
                hook('r', [object, key(node.name)]),
                f.updatePropertyAccessExpression(node, object, node.name),
              )
            : comma(hook('any', []), f.updatePropertyAccessExpression(node, object, node.name));
        }
        return hook('g', [object, key(node.name)]);
      }
      if (ts.isElementAccessExpression(node) && node.expression.kind !== ts.SyntaxKind.SuperKeyword) {
        return hook('g', [visitExpr(node.expression), visitExpr(node.argumentExpression)]);
      }
      if (ts.isAwaitExpression(node))
        return f.updateAwaitExpression(node, hook('aw', [visitExpr(node.expression)]));
      if (
        ts.isNewExpression(node) &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === 'Promise' &&
        node.arguments?.length === 1
      ) {
        return hook('np', [visitExpr(node.arguments[0]!)]);
      }
      if (ts.isForOfStatement(node)) {
        return f.updateForOfStatement(
          node,
          node.awaitModifier,
          visitInitializer(node.initializer),
          hook('a', [visitExpr(node.expression)]),
          visitStatement(node.statement),
        );
      }
      if (ts.isForInStatement(node)) {
        return f.updateForInStatement(
          node,
          visitInitializer(node.initializer),
          hook('a', [visitExpr(node.expression)]),
          visitStatement(node.statement),
        );
      }
      if (ts.isSpreadElement(node))
        return f.updateSpreadElement(node, hook('a', [visitExpr(node.expression)]));
      if (ts.isSpreadAssignment(node))
        return f.updateSpreadAssignment(node, hook('a', [visitExpr(node.expression)]));
      if (ts.isVariableDeclaration(node) && node.initializer && !ts.isIdentifier(node.name)) {
        // Destructuring reads the properties it names: recorded as a read of the whole object.
        return f.updateVariableDeclaration(
          node,
          node.name,
          node.exclamationToken,
          node.type,
          hook('a', [visitExpr(node.initializer)]),
        );
      }
      if (ts.isShorthandPropertyAssignment(node)) {
        const symbol = checker.getShorthandAssignmentValueSymbol(node);
        const id = symbol ? shared.get(symbol) : undefined;
        if (id !== undefined) {
          return f.createPropertyAssignment(node.name, hook('vr', [f.createNumericLiteral(id), node.name]));
        }
        return node;
      }
      if (ts.isIdentifier(node) && isReference(ts, node)) {
        const id = sharedId(node);
        if (id !== undefined) return hook('vr', [f.createNumericLiteral(id), node]);
      }
      return ts.visitEachChild(node, visit, context);
    };
    const visitExpr = (node: TS.Expression) => visit(node) as TS.Expression;
    const visitStatement = (node: TS.Statement) => visit(node) as TS.Statement;
    const visitInitializer = (node: TS.ForInitializer) =>
      ts.isVariableDeclarationList(node)
        ? (ts.visitEachChild(node, visit, context) as TS.ForInitializer)
        : (comma(hook('any', []), node) as unknown as TS.ForInitializer);

    /** Inside an optional chain only the arguments and keys are rewritten; the chain stays whole. */
    const visitChain = (node: TS.Node): TS.Expression => {
      const inner = (child: TS.Expression): TS.Expression =>
        isOptionalChain(ts, child) ? visitChain(child) : visitExpr(child);
      if (ts.isPropertyAccessExpression(node)) {
        return ts.isPropertyAccessChain(node)
          ? f.updatePropertyAccessChain(node, inner(node.expression), node.questionDotToken, node.name)
          : f.updatePropertyAccessExpression(node, inner(node.expression), node.name);
      }
      if (ts.isElementAccessExpression(node)) {
        return ts.isElementAccessChain(node)
          ? f.updateElementAccessChain(
              node,
              inner(node.expression),
              node.questionDotToken,
              visitExpr(node.argumentExpression),
            )
          : f.updateElementAccessExpression(node, inner(node.expression), visitExpr(node.argumentExpression));
      }
      if (ts.isCallExpression(node)) {
        const args = node.arguments.map(visitExpr);
        return ts.isCallChain(node)
          ? f.updateCallChain(node, inner(node.expression), node.questionDotToken, node.typeArguments, args)
          : f.updateCallExpression(node, inner(node.expression), node.typeArguments, args);
      }
      if (ts.isNonNullExpression(node)) return f.updateNonNullExpression(node, inner(node.expression));
      return visitExpr(node as TS.Expression);
    };

    const visitCall = (node: TS.CallExpression): TS.Expression => {
      const args = node.arguments.map(visitExpr);
      const callee = skipParens(ts, node.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.expression.kind !== ts.SyntaxKind.SuperKeyword) {
        if (ts.isPrivateIdentifier(callee.name)) {
          return f.updateCallExpression(
            node,
            f.updatePropertyAccessExpression(callee, visitExpr(callee.expression), callee.name),
            node.typeArguments,
            args,
          );
        }
        return hook('c', [visitExpr(callee.expression), key(callee.name), ...args]);
      }
      if (ts.isElementAccessExpression(callee) && callee.expression.kind !== ts.SyntaxKind.SuperKeyword) {
        return hook('c', [visitExpr(callee.expression), visitExpr(callee.argumentExpression), ...args]);
      }
      if (ts.isIdentifier(callee) && callee.text === 'structuredClone') {
        return comma(hook('deep', []), f.updateCallExpression(node, callee, node.typeArguments, args));
      }
      return f.updateCallExpression(node, visitExpr(node.expression), node.typeArguments, args);
    };

    const visitBinary = (node: TS.BinaryExpression): TS.Expression => {
      const op = node.operatorToken.kind;
      if (op === ts.SyntaxKind.InKeyword && !ts.isPrivateIdentifier(node.left)) {
        return hook('h', [visitExpr(node.left), visitExpr(node.right)]);
      }
      if (op === ts.SyntaxKind.EqualsToken) return visitAssignment(node.left, visitExpr(node.right), node);
      const binary = COMPOUND.get(op);
      if (binary === undefined) return ts.visitEachChild(node, visit, context);
      return visitCompound(node, binary);
    };

    const visitAssignment = (left: TS.Expression, right: TS.Expression, node: TS.BinaryExpression) => {
      const target = skipParens(ts, left);
      if (ts.isPropertyAccessExpression(target) && target.expression.kind !== ts.SyntaxKind.SuperKeyword) {
        if (ts.isPrivateIdentifier(target.name)) {
          const object = visitExpr(target.expression);
          if (!isThisOrName(target.expression))
            return comma(hook('any', []), f.updateBinaryExpression(node, target, node.operatorToken, right));
          return assign(
            f.updatePropertyAccessExpression(target, object, target.name),
            hook('wv', [object, key(target.name), right]),
          );
        }
        return hook('s', [visitExpr(target.expression), key(target.name), right]);
      }
      if (ts.isElementAccessExpression(target) && target.expression.kind !== ts.SyntaxKind.SuperKeyword) {
        return hook('s', [visitExpr(target.expression), visitExpr(target.argumentExpression), right]);
      }
      const id = sharedId(target);
      if (id !== undefined) return assign(target, hook('vw', [f.createNumericLiteral(id), right]));
      if (ts.isIdentifier(target)) return f.updateBinaryExpression(node, target, node.operatorToken, right);
      // A destructuring assignment: its targets are recorded as touching everything.
      return comma(hook('any', []), f.updateBinaryExpression(node, target, node.operatorToken, right));
    };

    const visitCompound = (node: TS.BinaryExpression, binary: TS.BinaryOperator): TS.Expression => {
      const target = skipParens(ts, node.left);
      const logical = LOGICAL.has(node.operatorToken.kind);
      const combine = (current: TS.Expression, write: (value: TS.Expression) => TS.Expression) =>
        logical
          ? f.createBinaryExpression(current, binary, write(visitExpr(node.right)))
          : write(f.createBinaryExpression(current, binary, visitExpr(node.right)));
      if (ts.isPropertyAccessExpression(target) && target.expression.kind !== ts.SyntaxKind.SuperKeyword) {
        if (ts.isPrivateIdentifier(target.name)) {
          if (!isThisOrName(target.expression))
            return comma(hook('any', []), ts.visitEachChild(node, visit, context));
          const object = visitExpr(target.expression);
          const field = () => f.createPropertyAccessExpression(object, target.name);
          return combine(comma(hook('r', [object, key(target.name)]), field()), (value) =>
            f.createParenthesizedExpression(assign(field(), hook('wv', [object, key(target.name), value]))),
          );
        }
        const object = temp();
        const read = hook('g', [object, key(target.name)]);
        return comma(
          assign(object, visitExpr(target.expression)),
          combine(read, (value) => hook('s', [object, key(target.name), value])),
        );
      }
      if (ts.isElementAccessExpression(target) && target.expression.kind !== ts.SyntaxKind.SuperKeyword) {
        const object = temp();
        const index = temp();
        return comma(
          assign(object, visitExpr(target.expression)),
          assign(index, visitExpr(target.argumentExpression)),
          combine(hook('g', [object, index]), (value) => hook('s', [object, index, value])),
        );
      }
      const id = sharedId(target);
      if (id !== undefined) {
        const n = () => f.createNumericLiteral(id);
        return combine(hook('vr', [n(), target]), (value) =>
          f.createParenthesizedExpression(assign(target, hook('vw', [n(), value]))),
        );
      }
      if (ts.isIdentifier(target)) return ts.visitEachChild(node, visit, context);
      return comma(hook('any', []), ts.visitEachChild(node, visit, context));
    };

    const visitUpdate = (node: TS.PrefixUnaryExpression | TS.PostfixUnaryExpression): TS.Expression => {
      const op = node.operator;
      if (op !== ts.SyntaxKind.PlusPlusToken && op !== ts.SyntaxKind.MinusMinusToken) {
        return ts.visitEachChild(node, visit, context);
      }
      const delta =
        op === ts.SyntaxKind.PlusPlusToken
          ? f.createNumericLiteral(1)
          : f.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, f.createNumericLiteral(1));
      const prefix = ts.isPrefixUnaryExpression(node) ? f.createTrue() : f.createFalse();
      const target = skipParens(ts, node.operand);
      if (ts.isPropertyAccessExpression(target) && target.expression.kind !== ts.SyntaxKind.SuperKeyword) {
        if (ts.isPrivateIdentifier(target.name)) {
          if (!isThisOrName(target.expression)) return comma(hook('any', []), node);
          const object = visitExpr(target.expression);
          return comma(hook('r', [object, key(target.name)]), hook('w', [object, key(target.name)]), node);
        }
        return hook('u', [visitExpr(target.expression), key(target.name), delta, prefix]);
      }
      if (ts.isElementAccessExpression(target) && target.expression.kind !== ts.SyntaxKind.SuperKeyword) {
        return hook('u', [visitExpr(target.expression), visitExpr(target.argumentExpression), delta, prefix]);
      }
      const id = sharedId(target);
      if (id !== undefined) {
        const zero = () => f.createNumericLiteral(0);
        const n = () => f.createNumericLiteral(id);
        return comma(hook('vr', [n(), zero()]), hook('vw', [n(), zero()]), node);
      }
      return node;
    };

    const visitDelete = (node: TS.DeleteExpression): TS.Expression => {
      const target = skipParens(ts, node.expression);
      if (ts.isPropertyAccessExpression(target) && !ts.isPrivateIdentifier(target.name)) {
        return hook('d', [visitExpr(target.expression), key(target.name)]);
      }
      if (ts.isElementAccessExpression(target)) {
        return hook('d', [visitExpr(target.expression), visitExpr(target.argumentExpression)]);
      }
      return comma(hook('any', []), node);
    };

    return ts.visitEachChild(file, visit, context);
  };
}

function skipParens(ts: typeof import('typescript'), node: TS.Expression): TS.Expression {
  let current = node;
  while (ts.isParenthesizedExpression(current)) current = current.expression;
  return current;
}

function isOptionalChain(ts: typeof import('typescript'), node: TS.Node): boolean {
  return (
    (ts.isPropertyAccessExpression(node) ||
      ts.isElementAccessExpression(node) ||
      ts.isCallExpression(node) ||
      ts.isNonNullExpression(node)) &&
    (node.flags & ts.NodeFlags.OptionalChain) !== 0
  );
}

/** An identifier that names a value here (not a declaration's name, a property name or a label). */
function isReference(ts: typeof import('typescript'), node: TS.Identifier): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if (ts.isPropertyAssignment(parent) && parent.name === node) return false;
  if (
    (ts.isVariableDeclaration(parent) ||
      ts.isParameter(parent) ||
      ts.isFunctionDeclaration(parent) ||
      ts.isFunctionExpression(parent) ||
      ts.isClassDeclaration(parent) ||
      ts.isClassExpression(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isGetAccessor(parent) ||
      ts.isSetAccessor(parent) ||
      ts.isBindingElement(parent) ||
      ts.isEnumMember(parent) ||
      ts.isEnumDeclaration(parent)) &&
    parent.name === node
  ) {
    return false;
  }
  if (ts.isBindingElement(parent) && parent.propertyName === node) return false;
  if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent) || ts.isImportClause(parent)) return false;
  if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return false;
  if (ts.isTypeReferenceNode(parent) || ts.isQualifiedName(parent)) return false;
  return true;
}

/**
 * Variables that more than one function can reach and that something writes after their
 * declaration: module-level and captured `let`/`var` (a lock's `tail`, a `busy` flag). Each gets a
 * number; a local that only its own function touches is per call, so never shared between tasks.
 */
function sharedVariables(
  ts: typeof import('typescript'),
  checker: TS.TypeChecker,
  file: TS.SourceFile,
  COMPOUND: Operators['compound'],
): Map<TS.Symbol, number> {
  const written = new Set<TS.Symbol>();
  const captured = new Set<TS.Symbol>();
  const scopeOf = (node: TS.Node): TS.Node => {
    let current = node.parent;
    while (
      current &&
      !ts.isFunctionLike(current) &&
      !ts.isSourceFile(current) &&
      !ts.isClassStaticBlockDeclaration(current)
    ) {
      current = current.parent;
    }
    return current ?? file;
  };
  const isTarget = (node: TS.Identifier): boolean => {
    let child: TS.Node = node;
    let parent = node.parent;
    while (parent && ts.isParenthesizedExpression(parent)) {
      child = parent;
      parent = parent.parent;
    }
    if (!parent) return false;
    if (ts.isBinaryExpression(parent) && parent.left === child) {
      const op = parent.operatorToken.kind;
      return op === ts.SyntaxKind.EqualsToken || COMPOUND.has(op);
    }
    if (
      (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) &&
      parent.operand === child
    ) {
      return (
        parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken
      );
    }
    if ((ts.isForInStatement(parent) || ts.isForOfStatement(parent)) && parent.initializer === child)
      return true;
    // Inside a destructuring assignment's target.
    return ts.isArrayLiteralExpression(parent) || ts.isShorthandPropertyAssignment(parent);
  };
  const walk = (node: TS.Node): void => {
    if (ts.isIdentifier(node) && isReference(ts, node)) {
      const symbol = ts.isShorthandPropertyAssignment(node.parent)
        ? checker.getShorthandAssignmentValueSymbol(node.parent)
        : checker.getSymbolAtLocation(node);
      const declaration = symbol?.valueDeclaration;
      if (
        symbol &&
        declaration &&
        declaration.getSourceFile() === file &&
        (ts.isVariableDeclaration(declaration) || ts.isParameter(declaration)) &&
        !(
          ts.isVariableDeclaration(declaration) &&
          (ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) !== 0
        )
      ) {
        if (isTarget(node)) written.add(symbol);
        if (scopeOf(node) !== scopeOf(declaration) || ts.isSourceFile(scopeOf(declaration)))
          captured.add(symbol);
      }
    }
    ts.forEachChild(node, walk);
  };
  walk(file);
  const ids = new Map<TS.Symbol, number>();
  for (const symbol of captured) if (written.has(symbol)) ids.set(symbol, ids.size);
  return ids;
}

interface Operators {
  /** Compound assignment operators and the binary operator each applies (`+=` → `+`). */
  compound: Map<TS.SyntaxKind, TS.BinaryOperator>;
  /** The compound operators that short-circuit (`&&=`, `||=`, `??=`). */
  logical: Set<TS.SyntaxKind>;
}

function operators(ts: typeof import('typescript')): Operators {
  const k = ts.SyntaxKind;
  return {
    compound: new Map<TS.SyntaxKind, TS.BinaryOperator>([
      [k.PlusEqualsToken, k.PlusToken],
      [k.MinusEqualsToken, k.MinusToken],
      [k.AsteriskEqualsToken, k.AsteriskToken],
      [k.AsteriskAsteriskEqualsToken, k.AsteriskAsteriskToken],
      [k.SlashEqualsToken, k.SlashToken],
      [k.PercentEqualsToken, k.PercentToken],
      [k.LessThanLessThanEqualsToken, k.LessThanLessThanToken],
      [k.GreaterThanGreaterThanEqualsToken, k.GreaterThanGreaterThanToken],
      [k.GreaterThanGreaterThanGreaterThanEqualsToken, k.GreaterThanGreaterThanGreaterThanToken],
      [k.AmpersandEqualsToken, k.AmpersandToken],
      [k.BarEqualsToken, k.BarToken],
      [k.CaretEqualsToken, k.CaretToken],
      [k.AmpersandAmpersandEqualsToken, k.AmpersandAmpersandToken],
      [k.BarBarEqualsToken, k.BarBarToken],
      [k.QuestionQuestionEqualsToken, k.QuestionQuestionToken],
    ]),
    logical: new Set([k.AmpersandAmpersandEqualsToken, k.BarBarEqualsToken, k.QuestionQuestionEqualsToken]),
  };
}
