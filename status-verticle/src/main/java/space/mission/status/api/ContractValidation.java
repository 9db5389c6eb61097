package space.mission.status.api;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.InputTrustHandler;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaValidationException;
import io.vertx.json.schema.Validator;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.ValidationContext;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.analyser.ContentAnalyser;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.RequestValidatorImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import io.vertx.openapi.validation.impl.ValidatedRequestImpl;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates each request against its operation in the OpenAPI contract, with vertx-openapi's
 * schema validators, before any handler sees it. Two things differ from the router's built-in
 * validation, on purpose:
 * <ul>
 *   <li>string parameters stay strings: the stock transformer decodes every value as JSON first, so
 *   a mission called "1977" became a number (and failed the schema) and an ETag such as
 *   {@code W/"7"} could not be decoded at all;</li>
 *   <li>it runs on the event loop, with schema validators built once: checking a few parameters and
 *   a body of at most 64 KiB takes microseconds, less than the worker-thread hop the stock validator
 *   makes per request.</li>
 * </ul>
 * The validated request is stored where {@link RouterBuilder} stores it, so handlers read it the
 * usual way.
 */
final class ContractValidation extends RequestValidatorImpl {

  private final Map<Object, Validator> validators = new ConcurrentHashMap<>();
  private final Map<Parameter, Optional<ParameterCheck>> checks = new ConcurrentHashMap<>();

  ContractValidation(Vertx vertx, OpenAPIContract contract) {
    super(vertx, contract);
  }

  InputTrustHandler handlerFor(Operation operation) {
    return ctx -> {
      ValidatedRequest validated;
      try {
        validated = validate(ctx, operation);
      } catch (ValidatorException e) {
        ctx.fail(400, e);
        return;
      }
      ctx.put(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST, validated);
      ctx.next();
    };
  }

  private ValidatedRequest validate(RoutingContext ctx, Operation operation) {
    HttpServerRequest request = ctx.request();
    Map<String, RequestParameter> headers = new HashMap<>();
    Map<String, RequestParameter> path = new HashMap<>();
    Map<String, RequestParameter> query = new HashMap<>();
    for (Parameter parameter : operation.getParameters()) {
      String name = parameter.getName();
      switch (parameter.getIn()) {
        case HEADER -> headers.put(name, validateParameter(parameter, new RequestParameterImpl(request.getHeader(name))));
        case PATH -> path.put(name, validateParameter(parameter, new RequestParameterImpl(ctx.pathParam(name))));
        case QUERY -> query.put(name, validateParameter(parameter, new RequestParameterImpl(request.getParam(name))));
        default -> throw new ValidatorException("parameter " + name + " is in an unsupported location", null);
      }
    }
    RequestParameter body = new RequestParameterImpl(null);
    if (operation.getRequestBody() != null) {
      Buffer bytes = ctx.body().buffer();
      String contentType = request.getHeader("Content-Type");
      boolean hasBody = bytes != null && bytes.length() > 0;
      // a form body was taken apart by the body handler and left no bytes: its Content-Type still says what it was
      if (hasBody || contentType != null) {
        contentType = RequestMediaType.match(contentType, operation.getRequestBody().getContent().keySet());
      }
      if (hasBody) {
        ExactJson.checkUtf8(bytes);
      }
      body = validateBody(operation.getRequestBody(),
        new ValidatableRequestImpl(Map.of(), Map.of(), Map.of(), Map.of(), new RequestParameterImpl(bytes), contentType));
      if (!body.isNull()) {
        ExactJson.check(body.get());
      }
    }
    return new ValidatedRequestImpl(Map.of(), headers, path, query, body);
  }

  /**
   * Parameters: strings are taken as they are; integers, numbers and booleans are parsed as such
   * (a value that does not parse is handed to the schema as text, which then names the type it
   * should have had).
   */
  @Override
  public RequestParameter validateParameter(Parameter parameter, RequestParameter value) {
    if (value == null || value.isNull()) {
      if (parameter.isRequired()) {
        throw ValidatorException.createMissingRequiredParameter(parameter);
      }
      return new RequestParameterImpl(null);
    }
    SchemaType type = parameter.getSchemaType();
    if (type == SchemaType.ARRAY || type == SchemaType.OBJECT) {
      return super.validateParameter(parameter, value);
    }
    Object typed = typed(type, value.getString());
    if (checks.computeIfAbsent(parameter, key -> ParameterCheck.of(parameter.getSchema())).map(check -> check.accepts(typed)).orElse(false)) {
      return new RequestParameterImpl(typed);
    }
    OutputUnit result = validator(parameter, parameter.getSchema()).validate(typed);
    try {
      result.checkValidity();
      return new RequestParameterImpl(typed);
    } catch (JsonSchemaValidationException e) {
      throw SchemaValidationException.createErrorFromOutputUnitType(parameter, result, e);
    }
  }

  /** The body: the stock checks (media type, JSON syntax) with a validator built once per media type. */
  @Override
  protected RequestParameterImpl validate(MediaType mediaType, String contentType, Buffer rawContent, ValidationContext context) {
    ContentAnalyser analyser = mediaType == null ? null : ContentAnalyser.getContentAnalyser(mediaType, contentType, rawContent, context);
    if (analyser == null) {
      throw new ValidatorException("The format of the " + context + " body is not supported", ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT);
    }
    analyser.checkSyntacticalCorrectness();
    if (!isSchemaValidationRequired(mediaType)) {
      return new RequestParameterImpl(rawContent);
    }
    Object body = analyser.transform();
    OutputUnit result = validator(mediaType, mediaType.getSchema()).validate(body);
    try {
      result.checkValidity();
      return new RequestParameterImpl(body);
    } catch (JsonSchemaValidationException e) {
      throw SchemaValidationException.createInvalidValueBody(result, context, e);
    }
  }

  /**
   * Building a schema validator copies the contract's whole schema lookup; done per request it cost
   * more than everything else a rollup poll does, so each parameter and body gets one, built once.
   * Validators keep no state between calls and are shared by the event loops.
   */
  private Validator validator(Object owner, JsonSchema schema) {
    return validators.computeIfAbsent(owner, key -> contract.getSchemaRepository().validator(schema));
  }

  private static Object typed(SchemaType type, String text) {
    try {
      return switch (type) {
        case INTEGER -> Long.parseLong(text);
        case NUMBER -> Double.parseDouble(text);
        case BOOLEAN -> text.equals("true") ? Boolean.TRUE : text.equals("false") ? Boolean.FALSE : text;
        default -> text;
      };
    } catch (NumberFormatException e) {
      return text;
    }
  }
}
