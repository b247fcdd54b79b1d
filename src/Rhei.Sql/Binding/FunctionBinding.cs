using Rhei.Formats.Conversion;
using Rhei.Formats.Types;
using Rhei.Sql.Ast;
using Rhei.Sql.Functions;

namespace Rhei.Sql.Binding;

/// <summary>
/// Binds function calls: resolves the overload through the registry, types lambda parameters from the function's
/// signature (a first resolution with untyped lambdas gives their parameter types, a second one with the typed
/// bodies gives the return type), and converts arguments to the overload's target types.
/// </summary>
internal static class FunctionBinding
{
    public static BoundExpression Bind(ExpressionBinder.State state, FunctionCall call)
    {
        if (!state.Functions.TryGetFunction(call.Name, out var function))
        {
            throw new SqlBindingException($"Can't find any functions with the name '{call.Name}'", call.Position);
        }

        var options = state.Options;
        switch (function.Kind)
        {
            case FunctionKind.Aggregate:
                if (state.EnclosingAggregate is { } outer)
                {
                    throw new SqlBindingException($"Aggregate functions can not be nested: {outer.ToSql()}", outer.Position);
                }

                if (!options.AllowAggregates)
                {
                    // Unknown columns in the arguments are reported first, as ksqlDB does.
                    foreach (var argument in call.Arguments)
                    {
                        if (argument is not LambdaExpression)
                        {
                            state.Bind(argument);
                        }
                    }

                    var where = options.Clause is null ? "This expression" : options.Clause;
                    throw new SqlBindingException(
                        $"{where} does not support aggregate functions: {function.Name} is an aggregate function.", call.Position);
                }

                break;
            case FunctionKind.Table:
                if (!options.AllowTableFunctions)
                {
                    throw new SqlBindingException(
                        $"Table functions can only be used in the SELECT list, and not inside other expressions: {call.ToSql()}", call.Position);
                }

                break;
        }

        var isAggregate = function.Kind == FunctionKind.Aggregate;
        var star = call.Star || (isAggregate && function.Name == "COUNT" && call.Arguments.Count == 0);
        var previous = state.EnclosingAggregate;
        if (isAggregate)
        {
            state.EnclosingAggregate = call;
        }

        try
        {
            return BindCall(state, call, function, star);
        }
        finally
        {
            state.EnclosingAggregate = previous;
        }
    }

    private static BoundExpression BindCall(ExpressionBinder.State state, FunctionCall call, FunctionDefinition function, bool star)
    {
        IReadOnlyList<Expression> astArguments = call.Arguments;
        if (star && function.Name == "COUNT")
        {
            // COUNT(*) counts rows: any never-NULL argument does.
            astArguments = [new IntegerLiteral(1)];
        }

        var n = astArguments.Count;
        var arguments = new BoundExpression?[n];
        var described = new FunctionArgument[n];
        var hasLambda = false;
        for (var i = 0; i < n; i++)
        {
            switch (astArguments[i])
            {
                case LambdaExpression lambda:
                    described[i] = FunctionArgument.Lambda(lambda.Parameters.Count);
                    hasLambda = true;
                    break;
                case TimeUnitExpression:
                    arguments[i] = state.Bind(astArguments[i]);
                    described[i] = FunctionArgument.IntervalUnit;
                    break;
                default:
                    var bound = state.Bind(astArguments[i]);
                    arguments[i] = bound;
                    described[i] = bound is BoundLiteral literal ? FunctionArgument.Literal(literal.Type, literal.Value) : FunctionArgument.Of(bound.Type);
                    break;
            }
        }

        var resolution = Resolve(state, function, described, call);
        if (hasLambda)
        {
            for (var i = 0; i < n; i++)
            {
                if (astArguments[i] is not LambdaExpression lambda)
                {
                    continue;
                }

                var types = resolution.LambdaParameterTypes[i]
                    ?? throw new SqlBindingException($"Can't infer the parameter types of the lambda {lambda.ToSql()} in {call.ToSql()}.", lambda.Position);
                var bound = state.BindLambda(lambda, types);
                arguments[i] = bound;
                described[i] = bound.Body.Type is { } bodyType
                    ? FunctionArgument.Lambda(lambda.Parameters.Count, bodyType)
                    : FunctionArgument.Lambda(lambda.Parameters.Count);
            }

            resolution = Resolve(state, function, described, call);
        }

        var returnType = resolution.ReturnType
            ?? throw new SqlBindingException($"Can't infer the return type of {call.ToSql()}: cast its NULL arguments to a type.", call.Position);

        var converted = new BoundExpression[n];
        for (var i = 0; i < n; i++)
        {
            converted[i] = Convert(arguments[i]!, resolution, i);
        }

        switch (function.Kind)
        {
            case FunctionKind.Aggregate:
                foreach (var i in resolution.InitArgumentIndexes)
                {
                    if (converted[i] is not BoundLiteral)
                    {
                        throw new SqlBindingException(
                            $"Parameter {i + 1} passed to function {function.Name} must be a literal constant, but was expression: '{astArguments[i].ToSql()}'",
                            astArguments[i].Position);
                    }
                }

                return new BoundAggregateCall(resolution, [.. converted], returnType, star) { Position = call.Position };
            case FunctionKind.Table:
                return new BoundTableFunctionCall(resolution, [.. converted], returnType) { Position = call.Position };
            default:
                return new BoundFunctionCall(resolution, [.. converted], returnType) { Position = call.Position };
        }
    }

    private static FunctionResolution Resolve(ExpressionBinder.State state, FunctionDefinition function, FunctionArgument[] arguments, FunctionCall call)
    {
        try
        {
            return state.Functions.Resolve(function.Name, arguments);
        }
        catch (FunctionResolutionException ex)
        {
            throw new SqlBindingException(ex.Message, call.Position, ex);
        }
    }

    private static BoundExpression Convert(BoundExpression argument, FunctionResolution resolution, int index)
    {
        if (argument is BoundLambda lambda)
        {
            var expected = resolution.LambdaReturnType(index);
            if (expected is null || Equals(lambda.Body.Type, expected))
            {
                return lambda;
            }

            return lambda with { Body = CoerceArgument(lambda.Body, expected) };
        }

        if (argument is BoundIntervalUnit)
        {
            return argument;
        }

        var target = resolution.ArgumentTargetTypes[index];
        if (target is null || Equals(argument.Type, target))
        {
            return argument;
        }

        return CoerceArgument(argument, target);
    }

    private static BoundExpression CoerceArgument(BoundExpression argument, SqlType target)
    {
        if (argument.Type is null || Coercion.CanCoerce(argument, target) || Coercion.IsLiteral(argument))
        {
            return Coercion.Coerce(argument, target);
        }

        // The resolver accepted the argument under its own rules (e.g. a generic bound to a wider type):
        // convert it as a CAST would.
        if (SqlCast.CanCast(argument.Type, target))
        {
            return new BoundCast(argument, target, IsImplicit: true) { Position = argument.Position };
        }

        throw new SqlBindingException($"Cannot convert argument {argument.ToSql()} ({argument.Type}) to {target}.", argument.Position);
    }
}
